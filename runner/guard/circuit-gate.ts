/**
 * Runs and circuits: a run whose bot may not log in (its circuit paused, or open within its
 * back-off), or whose bot's sessions all stayed busy, goes back to the queue, delayed until the
 * bot may try again, without spending an attempt; its history says which system and why, for
 * the clerk's page and ops.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import type { BotPausedError, SessionsBusyError } from '../errors.ts';
import type { RunHistory } from '../run/history.ts';
import type { RunJobData } from '../run/types.ts';
import { pausedError, type BotCircuits } from './bot-circuits.ts';

/** What the gate works with. */
export interface CircuitGateDependencies {
  circuits: BotCircuits;
  history: RunHistory;
}

/** Delays the job until its bot may log in again, noting why, and throws BullMQ's DelayedError. */
export async function holdForCircuit(job: Job<RunJobData>, recipe: Recipe, paused: BotPausedError, deps: CircuitGateDependencies, token: string | undefined): Promise<never> {
  const title = Object.values(recipe.bots).find((bot) => bot.id === paused.bot)?.title ?? paused.bot;
  await deps.history.waitingForSystem(String(job.id), job.data, 'paused', `${title} · ${paused.reason}`);
  await job.moveToDelayed(paused.retryAt, token);
  throw new DelayedError();
}

/** Delays a job whose bot had no free session until `busy.retryAt`, noting why, and throws BullMQ's DelayedError. */
export async function holdForSessions(job: Job<RunJobData>, recipe: Recipe, busy: SessionsBusyError, deps: CircuitGateDependencies, token: string | undefined): Promise<never> {
  const title = Object.values(recipe.bots).find((bot) => bot.id === busy.bot)?.title ?? busy.bot;
  await deps.history.waitingForSystem(String(job.id), job.data, 'busy', `${title} · ${busy.message}`);
  await job.moveToDelayed(busy.retryAt, token);
  throw new DelayedError();
}

/** Returns when every bot of the recipe may log in; otherwise holds the job (see {@link holdForCircuit}). */
export async function awaitClosedCircuits(job: Job<RunJobData>, recipe: Recipe, deps: CircuitGateDependencies, token: string | undefined): Promise<void> {
  for (const bot of new Set(Object.values(recipe.bots).map((each) => each.id))) {
    const circuit = await deps.circuits.get(bot);
    // Open past its back-off, a login may probe, so the run goes ahead.
    if (circuit.state === 'paused' || (circuit.state === 'open' && Date.now() < circuit.retryAt)) await holdForCircuit(job, recipe, pausedError(bot, circuit), deps, token);
  }
}
