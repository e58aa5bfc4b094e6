/**
 * Following a sync to its end, for `ferry sync --wait`, the demo and tests: wait for the
 * sync job, then for each of its runs to settle in the ledger (the truth), and sum up.
 */
import { Job, type Queue } from 'bullmq';
import type { Ledger, LedgerState } from '../ledger/ledger.ts';
import { counterOf, OUTCOME_COUNTERS, type OutcomeCounter } from '../run/stats.ts';
import type { SyncJobData, SyncResult } from './sync-jobs.ts';

/** How a sync and its runs ended. */
export type SyncSummary = Omit<SyncResult, 'keyIds' | 'slot'> & Record<OutcomeCounter, number> & {
  sync: string;
  /** Runs fanned out. */
  runs: number;
  /** The commonest reasons runs were rejected, commonest first. */
  topRejections: { reason: string; count: number }[];
};

/** Options of the waits here. */
export interface WaitOptions {
  /** How often to look. @defaultValue 500 */
  pollMs?: number;
  /** Give up after this long. @defaultValue 86400000 (a day) */
  timeoutMs?: number;
}

const FINISHED: LedgerState[] = ['DONE', 'NEEDS_REVIEW', 'REJECTED', 'FAILED', 'DISCARDED'];
const TOP_REJECTIONS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the sync's result once a worker has listed and fanned out; throws if the sync failed. */
export async function awaitSync(syncs: Queue<SyncJobData, SyncResult>, syncId: string, options: WaitOptions = {}): Promise<SyncResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 86_400_000);
  while (Date.now() < deadline) {
    const state = await syncs.getJobState(syncId);
    if (state === 'unknown') throw new Error(`sync ${syncId} does not exist`);
    if (state === 'completed' || state === 'failed') {
      const job = await Job.fromId<SyncJobData, SyncResult>(syncs, syncId);
      if (state === 'completed' && job) return job.returnvalue;
      throw new Error(`sync ${syncId} failed: ${job?.failedReason ?? 'unknown reason'}`);
    }
    await sleep(options.pollMs ?? 500);
  }
  throw new Error(`sync ${syncId} did not finish in time`);
}

/** Waits until every run of the sync has settled; `onProgress` hears how many have. */
export async function awaitSyncRuns(
  ledger: Ledger, result: SyncResult, syncId: string, onProgress: (settled: number) => void = () => {}, options: WaitOptions = {},
): Promise<SyncSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 86_400_000);
  const counts = Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, 0])) as Record<OutcomeCounter, number>;
  const reasons = new Map<string, number>();
  let pending = result.keyIds;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} runs of sync ${syncId} did not finish in time`);
    const entries = await Promise.all(pending.map((keyId) => ledger.get(result.recipe, keyId)));
    // A DONE still to be verified (`verified: '0'`) may yet go to review: not finished.
    const finished = entries.map((entry) => entry !== null && FINISHED.includes(entry.state) && entry.verified !== '0');
    for (const [i, entry] of entries.entries()) {
      if (!entry || !finished[i]) continue;
      counts[counterOf({ state: entry.state, created: entry.created === '1' })]++;
      if (entry.state === 'REJECTED') reasons.set(entry.reason ?? '', (reasons.get(entry.reason ?? '') ?? 0) + 1);
    }
    pending = pending.filter((_, i) => !finished[i]);
    onProgress(result.keyIds.length - pending.length);
    if (pending.length > 0) await sleep(options.pollMs ?? 500);
  }
  const topRejections = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, TOP_REJECTIONS).map(([reason, count]) => ({ reason, count }));
  const { recipe, since, listed, skipped } = result;
  return { recipe, sync: syncId, since, listed, skipped, runs: result.keyIds.length, ...counts, topRejections };
}
