/**
 * The BullMQ processor of a run: waits for its recipe's turn when the recipe sets
 * `concurrency`, executes it, and keeps its history for the dashboard (attempts, steps, and
 * the outcome, or the reason it will be retried).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import { executeRun, type RunDependencies } from './executor.ts';
import type { RecipeTurns } from './recipe-turns.ts';
import { holdRun } from '../guard/circuit-gate.ts';
import { awaitSystemsReady, type RunGateDependencies } from '../guard/run-gate.ts';
import { BotPausedError, RunHeldError } from '../errors.ts';
import type { RunJobData, RunOutcome } from './types.ts';

/** What the processor needs besides the executor's dependencies. */
export interface RunJobDependencies extends RunDependencies, RunGateDependencies {
  turns: RecipeTurns;
}

/**
 * Runs one job and records its history; rethrows so BullMQ retries or fails it. A run of a
 * recipe with `concurrency` that must wait for its turn, or one whose systems are closed (opening
 * hours), is moved back to the queue (BullMQ's DelayedError goes through); it gives its turn up
 * once it settles.
 */
export async function processRunJob(job: Job<RunJobData>, recipes: RecipeRegistry, deps: RunJobDependencies, token?: string): Promise<RunOutcome> {
  const jobId = String(job.id);
  const recipe = await recipeOf(job, recipes, deps);
  // Systems first: a run waiting for a closed or paused system holds no turn of its recipe.
  await awaitSystemsReady(job, recipe, deps, token);
  if (recipe.concurrency) await deps.turns.await(job, recipe.concurrency, token);
  const settled = () => (recipe.concurrency ? deps.turns.release(job, recipe.concurrency) : Promise.resolve());
  await deps.history.attemptStarted(jobId, job.data, job.attemptsMade + 1);
  try {
    const outcome = await executeRun(job, recipe, deps);
    await deps.history.finished(jobId, outcome);
    await settled();
    return outcome;
  } catch (error) {
    // A bot the circuit stopped mid-run, a bot whose sessions all stayed busy, replicas behind:
    // the run waits in the queue without spending this attempt. A paused bot's run keeps its
    // recipe's turn (every run of the recipe waits on the same system); any other gives it up.
    if (error instanceof RunHeldError) {
      if (!(error instanceof BotPausedError)) await settled();
      return holdRun(job, recipe, error, deps, token);
    }
    const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!final) {
      await deps.history.event(jobId, { kind: 'retry', attempt: job.attemptsMade + 1, detail: (error as Error).message });
      throw error;
    }
    const entry = await deps.ledger.get(job.data.recipe, job.data.keyId);
    await deps.history.finished(jobId, {
      state: entry?.state ?? 'FAILED', receipt: entry?.receipt, reason: entry?.reason ?? (error as Error).message, evidence: entry?.evidence,
    });
    await settled();
    throw error;
  }
}

/** The job's recipe; a recipe that no longer loads fails the run at once, as no retry can fix it. */
async function recipeOf(job: Job<RunJobData>, recipes: RecipeRegistry, deps: RunJobDependencies): Promise<Recipe> {
  try {
    return recipes.get(job.data.recipe);
  } catch (error) {
    const reason = `${(error as Error).message} · Not retried: fix the recipe file, restart the workers, then retry the run.`;
    await deps.history.finished(String(job.id), { state: 'FAILED', reason });
    throw new UnrecoverableError(reason);
  }
}
