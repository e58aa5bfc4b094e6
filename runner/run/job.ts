/**
 * The BullMQ processor of a run: executes it and keeps its history for the dashboard
 * (attempts, steps, and the outcome, or the reason it will be retried).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { RecipeRegistry } from '../define/registry.ts';
import { executeRun, type RunDependencies } from './executor.ts';
import type { RunJobData, RunOutcome } from './types.ts';

/** Runs one job and records its history; rethrows so BullMQ retries or fails it. */
export async function processRunJob(job: Job<RunJobData>, recipes: RecipeRegistry, deps: RunDependencies): Promise<RunOutcome> {
  const jobId = String(job.id);
  await deps.history.attemptStarted(jobId, job.data, job.attemptsMade + 1);
  try {
    const outcome = await executeRun(job, recipes.get(job.data.recipe), deps);
    await deps.history.finished(jobId, outcome);
    return outcome;
  } catch (error) {
    const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!final) {
      await deps.history.event(jobId, { kind: 'retry', attempt: job.attemptsMade + 1, detail: (error as Error).message });
      throw error;
    }
    const entry = await deps.ledger.get(job.data.recipe, job.data.keyId);
    await deps.history.finished(jobId, {
      state: entry?.state ?? 'FAILED', receipt: entry?.receipt, reason: entry?.reason ?? (error as Error).message, evidence: entry?.evidence,
    });
    throw error;
  }
}
