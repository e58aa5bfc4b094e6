/**
 * Held runs: a run whose bot may not log in (its circuit paused, or open within its back-off),
 * whose bot's sessions all stayed busy, or whose ledger write no replica acknowledged, goes back
 * to the queue, delayed until it may try again, without spending an attempt; its history says
 * which system (or Redis) and why, for the clerk's page and ops.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import { BotPausedError, type RunHeldError } from '../errors.ts';
import type { RunHistory } from '../run/history.ts';
import type { RunJobData } from '../run/types.ts';
import { pausedError, type BotCircuits } from './bot-circuits.ts';

/** What the gate works with. */
export interface CircuitGateDependencies {
  circuits: BotCircuits;
  history: RunHistory;
}

/**
 * Delays a held job until `held.retryAt` (its bot may log in again, a session may be free, the
 * replicas may have caught up), noting why in its history, and throws BullMQ's DelayedError.
 */
export async function holdRun(job: Job<RunJobData>, recipe: Recipe, held: RunHeldError, deps: CircuitGateDependencies, token: string | undefined): Promise<never> {
  const title = held.bot && (Object.values(recipe.bots).find((bot) => bot.id === held.bot)?.title ?? held.bot);
  const why = held instanceof BotPausedError ? held.reason : held.message;
  await deps.history.waitingForSystem(String(job.id), job.data, held.heldFor, title ? `${title} · ${why}` : why);
  await job.moveToDelayed(held.retryAt, token);
  throw new DelayedError();
}

/** Returns when every bot of the recipe may log in; otherwise holds the job (see {@link holdRun}). */
export async function awaitClosedCircuits(job: Job<RunJobData>, recipe: Recipe, deps: CircuitGateDependencies, token: string | undefined): Promise<void> {
  for (const bot of new Set(Object.values(recipe.bots).map((each) => each.id))) {
    const circuit = await deps.circuits.get(bot);
    // Open past its back-off, a login may probe, so the run goes ahead.
    if (circuit.state === 'paused' || (circuit.state === 'open' && Date.now() < circuit.retryAt)) await holdRun(job, recipe, pausedError(bot, circuit), deps, token);
  }
}
