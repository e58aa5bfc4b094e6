/**
 * Waiting for runs to finish, for `ferry run --wait`, `ferry sync --wait`, the demo, the
 * benchmarks and tests: a {@link JobWaiter} over the runs queue. The ledger is the truth:
 * a completed job carries its outcome, a failed or vanished one is read from the ledger.
 */
import type { Queue } from 'bullmq';
import type { Ledger } from '../ledger/ledger.ts';
import { JobWaiter } from './job-waiter.ts';
import { splitRunJobId } from './key.ts';
import type { RunJobData, RunOutcome } from './types.ts';

/** A waiter for run outcomes; one per process is enough for any number of runs. Close it when done. */
export function runOutcomes(queue: Queue<RunJobData>, ledger: Ledger): JobWaiter<RunOutcome> {
  return new JobWaiter<RunOutcome>(queue, {
    completed: (_jobId, returnvalue) => returnvalue as RunOutcome,
    failed: async (jobId, failedReason) => {
      const { recipe, keyId } = splitRunJobId(jobId);
      const entry = await ledger.get(recipe, keyId);
      if (!entry && failedReason === undefined) throw new Error(`run ${jobId} does not exist`);
      return { state: entry?.state ?? 'FAILED', receipt: entry?.receipt || undefined, created: entry?.created === '1', reason: entry?.reason ?? failedReason };
    },
  });
}
