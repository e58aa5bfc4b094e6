/**
 * Folder `runner/guard/`: whether a legacy system may take work now. Its opening hours
 * (`opening-hours.ts`, with the holiday calendar), its bot's circuit breaker (`bot-circuits.ts`:
 * paused after refused logins, open while the system does not answer). A run passes this gate
 * before it starts; a run for a system that may not take work goes back to the queue, delayed
 * until it may, without spending an attempt, claiming a record or taking a session.
 *
 * This file: the gate.
 */
import type { Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import type { RunJobData } from '../run/types.ts';
import { awaitClosedCircuits, type CircuitGateDependencies } from './circuit-gate.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';
import { awaitOpenSystems } from './system-hours.ts';

/** What the gate works with. */
export interface RunGateDependencies extends CircuitGateDependencies {
  holidays: HolidayCalendar;
}

/** Returns when every system of the recipe may take work; otherwise delays the job until it may and throws BullMQ's DelayedError. */
export async function awaitSystemsReady(job: Job<RunJobData>, recipe: Recipe, deps: RunGateDependencies, token: string | undefined): Promise<void> {
  await awaitOpenSystems(job, recipe, deps, token);
  await awaitClosedCircuits(job, recipe, deps, token);
}
