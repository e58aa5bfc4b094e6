/**
 * Waiting for a run to finish, for `ferry run --wait`, the demo and tests. The ledger is
 * the truth: a completed job carries its outcome, a failed one is read from the ledger.
 */
import { Job, type Queue } from 'bullmq';
import type { Ledger } from '../ledger/ledger.ts';
import type { RunJobData, RunOutcome } from './types.ts';

/** Resolves with the run's outcome once its job has finished. */
export async function awaitOutcome(
  queue: Queue<RunJobData>, ledger: Ledger, jobId: string, options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<RunOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  while (Date.now() < deadline) {
    const state = await queue.getJobState(jobId);
    if (state === 'unknown') throw new Error(`run ${jobId} does not exist`);
    const job = await Job.fromId<RunJobData, RunOutcome>(queue, jobId);
    if (job && state === 'completed') return job.returnvalue;
    if (job && state === 'failed') {
      const entry = await ledger.get(job.data.recipe, job.data.keyId);
      return { state: entry?.state ?? 'FAILED', receipt: entry?.receipt || undefined, reason: entry?.reason ?? job.failedReason };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
  throw new Error(`run ${jobId} did not finish in time`);
}
