/**
 * Each row's fate in a batch, read from the ledger (and, for a run the ledger has not seen,
 * from its job): DONE with its receipt, REJECTED, FAILED or NEEDS_REVIEW with the reason,
 * waiting for a person, running, queued, or not queued because the row was bad.
 */
import { Job, type Queue } from 'bullmq';
import type { Ledger, LedgerEntry } from '../ledger/ledger.ts';
import { maskText } from '../access/mask.ts';
import { runJobId } from '../run/key.ts';
import type { RunJobData } from '../run/types.ts';
import type { Batch } from './batch-store.ts';

/** What became of one row. */
export type RowState = 'DONE' | 'REJECTED' | 'FAILED' | 'NEEDS_REVIEW' | 'DISCARDED' | 'WAITING_FOR_PERSON' | 'RUNNING' | 'QUEUED' | 'CHECKED' | 'NOT_QUEUED';

/** States in which a row's run is over (ops may still retry it). */
export const FINISHED_ROW_STATES: readonly RowState[] = ['DONE', 'REJECTED', 'FAILED', 'NEEDS_REVIEW', 'DISCARDED', 'NOT_QUEUED'];

/** One row's fate. */
export interface RowOutcome {
  row: number;
  state: RowState;
  receipt?: string;
  reason?: string;
  /** When the row last changed (ISO), for a row that ran. */
  at?: string;
  /** The run's id, for a row that became one. */
  run?: string;
}

/** A batch's progress: each row's fate and the count per state. */
export interface BatchProgress {
  rows: RowOutcome[];
  counts: Partial<Record<RowState, number>>;
  /** True once no row is queued or running (rows waiting for a person count as stopped). */
  settled: boolean;
}

function fromLedger(entry: LedgerEntry): Omit<RowOutcome, 'row' | 'run'> {
  const time = Number(entry.updatedAt) || Date.parse(entry.updatedAt);
  const at = Number.isFinite(time) ? new Date(time).toISOString() : undefined;
  switch (entry.state) {
    case 'CLAIMED': case 'SUBMITTING': case 'UNKNOWN': return { state: 'RUNNING', at };
    case 'DONE': return { state: 'DONE', receipt: entry.receipt, at };
    default: return { state: entry.state, ...(entry.reason ? { reason: entry.reason } : {}), at };
  }
}

/** Reads every row's fate. */
export async function batchProgress(batch: Batch, ledger: Ledger, queue: Queue<RunJobData>): Promise<BatchProgress> {
  const entries = await ledger.getMany(batch.recipe, batch.good.map((row) => row.keyId));
  const good = await Promise.all(batch.good.map(async ({ row, keyId }, i): Promise<RowOutcome> => {
    const run = runJobId(batch.recipe, keyId);
    const entry = entries[i];
    if (entry) return { row, run, ...fromLedger(entry) };
    if (batch.state === 'checked') return { row, state: 'CHECKED' };
    // A run the ledger has not seen yet is queued, unless its job failed before it could claim the record.
    const job = await Job.fromId<RunJobData>(queue, run);
    if (job?.failedReason && (await job.getState()) === 'failed') return { row, run, state: 'FAILED', reason: maskText(job.failedReason) };
    return { row, run, state: 'QUEUED' };
  }));
  const bad = batch.bad.map((bad): RowOutcome => ({ row: bad.row, state: 'NOT_QUEUED', reason: bad.column ? `${bad.column}：${bad.reason}` : bad.reason }));
  const rows = [...good, ...bad].sort((a, b) => a.row - b.row);
  const counts: Partial<Record<RowState, number>> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  const settled = batch.state === 'queued' && rows.every((row) => row.state !== 'QUEUED' && row.state !== 'RUNNING');
  return { rows, counts, settled };
}
