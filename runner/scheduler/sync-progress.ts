/**
 * Following a sync to its end, for `ferry sync --wait`, the demo and tests: wait for the
 * sync job, then for each of its runs to settle, and sum up. Both waits listen to queue
 * events (see {@link JobWaiter}); neither polls.
 */
import type { Queue } from 'bullmq';
import type { Ledger } from '../ledger/ledger.ts';
import { runOutcomes } from '../run/await-outcome.ts';
import { JobWaiter } from '../run/job-waiter.ts';
import { runJobId } from '../run/key.ts';
import { counterOf, OUTCOME_COUNTERS, type OutcomeCounter } from '../run/stats.ts';
import type { RunJobData } from '../run/types.ts';
import type { SyncJobData, SyncResult } from './sync-jobs.ts';

/** How a sync and its runs ended. */
export type SyncSummary = Omit<SyncResult, 'keyIds' | 'slot'> & Record<OutcomeCounter, number> & {
  sync: string;
  /** Runs fanned out. */
  runs: number;
  /** Runs waiting for a person's answer (a question in the inbox); they run again once it is answered. */
  waitingForPerson: number;
  /** The commonest reasons runs were rejected, commonest first. */
  topRejections: { reason: string; count: number }[];
};

/** Options of the waits here. */
export interface WaitOptions {
  /** Give up once the queue has not moved for this long. @defaultValue an hour for the sync job, 5 minutes for its runs */
  idleMs?: number;
}

const TOP_REJECTIONS = 5;

/** Resolves with the sync's result once a worker has listed and fanned out (or, with `waitingFor`, once its list asked a person); throws if the sync failed. */
export async function awaitSync(syncs: Queue<SyncJobData, SyncResult>, syncId: string, options: WaitOptions = {}): Promise<SyncResult> {
  const waiter = new JobWaiter<SyncResult>(syncs, {
    completed: (_jobId, returnvalue) => returnvalue as SyncResult,
    failed: (jobId, failedReason) => {
      throw new Error(failedReason === undefined ? `sync ${jobId} does not exist` : `sync ${jobId} failed: ${failedReason}`);
    },
  });
  try {
    return await waiter.wait(syncId, { idleMs: options.idleMs ?? 3_600_000 });
  } finally {
    await waiter.close();
  }
}

/** Waits until every run of the sync has settled; `onProgress` hears how many have. */
export async function awaitSyncRuns(
  runs: { queue: Queue<RunJobData>; ledger: Ledger }, result: SyncResult, syncId: string,
  onProgress: (settled: number) => void = () => {}, options: WaitOptions = {},
): Promise<SyncSummary> {
  const counts = Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, 0])) as Record<OutcomeCounter, number>;
  const reasons = new Map<string, number>();
  let waitingForPerson = 0;
  const waiter = runOutcomes(runs.queue, runs.ledger);
  try {
    let settled = 0;
    const outcomes = await waiter.waitAll(result.keyIds.map((keyId) => runJobId(result.recipe, keyId)), {
      idleMs: options.idleMs, onSettled: () => onProgress(++settled),
    });
    for (const outcome of outcomes) {
      if (outcome.state === 'WAITING_FOR_PERSON') {
        waitingForPerson++;
        continue;
      }
      counts[counterOf(outcome)]++;
      if (outcome.state === 'REJECTED') reasons.set(outcome.reason ?? '', (reasons.get(outcome.reason ?? '') ?? 0) + 1);
    }
  } finally {
    await waiter.close();
  }
  const topRejections = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, TOP_REJECTIONS).map(([reason, count]) => ({ reason, count }));
  const { recipe, since, listed, skipped } = result;
  return { recipe, sync: syncId, since, listed, skipped, runs: result.keyIds.length, ...counts, waitingForPerson, topRejections };
}
