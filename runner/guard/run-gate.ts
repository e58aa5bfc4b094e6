/**
 * Folder `runner/guard/`: whether a legacy system may take work now. Its opening hours
 * (`opening-hours.ts`, with the holiday calendar), its bot's circuit breaker (`bot-circuits.ts`:
 * paused after refused logins, open while the system does not answer), and its cap on runs
 * per minute (`run-caps.ts`). A run passes this gate before it starts; a run for a system that
 * may not take work goes back to the queue, delayed until it may, without spending an attempt,
 * claiming a record or taking a session.
 *
 * This file: the gate.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import type { RunJobData } from '../run/types.ts';
import { awaitClosedCircuits, type CircuitGateDependencies } from './circuit-gate.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';
import type { RunCaps } from './run-caps.ts';
import { awaitOpenSystems } from './system-hours.ts';

/** What the gate works with. */
export interface RunGateDependencies extends CircuitGateDependencies {
  holidays: HolidayCalendar;
  caps: RunCaps;
}

/** Returns when every system of the recipe may take work; otherwise delays the job until it may and throws BullMQ's DelayedError. */
export async function awaitSystemsReady(job: Job<RunJobData>, recipe: Recipe, deps: RunGateDependencies, token: string | undefined): Promise<void> {
  await awaitOpenSystems(job, recipe, deps, token);
  await awaitClosedCircuits(job, recipe, deps, token);
  // Last, so a start is counted only for a run that goes ahead.
  const wait = await deps.caps.take([...new Map(Object.values(recipe.bots).map((bot) => [bot.id, bot])).values()], `${job.id}:${job.attemptsMade}`);
  if (wait > 0) {
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
}
