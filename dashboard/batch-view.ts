/**
 * A batch as the batch pages show it: who uploaded it, its counts, its bad rows, and once
 * queued each row's fate, counted per state in a fixed order and cut to the first rows.
 */
import type { FastifyRequest } from 'fastify';
import { roleAtLeast } from '../runner/access/users.ts';
import type { BatchActor } from '../runner/batch/batch-desk.ts';
import { FINISHED_ROW_STATES, type BatchProgress, type RowOutcome, type RowState } from '../runner/batch/batch-progress.ts';
import type { Batch } from '../runner/batch/batch-store.ts';
import { triggeredBy } from '../runner/run/types.ts';

/** Rows a batch page lists; the result workbook has every row. */
export const SHOWN_ROWS = 500;

/** The order states are counted in: finished first, then what is still to come. */
const STATE_ORDER: RowState[] = ['DONE', 'REJECTED', 'FAILED', 'NEEDS_REVIEW', 'DISCARDED', 'WAITING_FOR_PERSON', 'RUNNING', 'QUEUED', 'CHECKED', 'NOT_QUEUED'];

/** The signed-in user as someone who acts on batches: staff see their own, ops and admins all. */
export function batchActorOf(request: FastifyRequest): BatchActor {
  const user = request.user!;
  return { name: user.name, identity: triggeredBy.dashboard(user.name), ip: request.ip, seesAll: roleAtLeast(user.role, 'ops') };
}

/** Who uploaded a batch, as people know them: a dashboard user by name, anyone else by their full identity (`cli:…`). */
export function uploaderOf(batch: Batch): string {
  return batch.by.startsWith('dashboard:') ? batch.by.slice('dashboard:'.length) : batch.by;
}

/** The count per state, in {@link STATE_ORDER}, states with no row left out. */
export function countsOf(progress: BatchProgress): Partial<Record<RowState, number>> {
  return Object.fromEntries(STATE_ORDER.filter((state) => progress.counts[state]).map((state) => [state, progress.counts[state]]));
}

/** What the batch page shows. */
export interface BatchView extends Batch {
  uploader: string;
  counts: Partial<Record<RowState, number>>;
  /** Good rows whose run is over. */
  finished: number;
  settled: boolean;
  /** The first {@link SHOWN_ROWS} rows. */
  shown: RowOutcome[];
}

export function batchView(batch: Batch, progress: BatchProgress): BatchView {
  const finished = progress.rows.filter((row) => row.state !== 'NOT_QUEUED' && FINISHED_ROW_STATES.includes(row.state)).length;
  return {
    ...batch, uploader: uploaderOf(batch), counts: countsOf(progress), finished, settled: progress.settled,
    shown: progress.rows.slice(0, SHOWN_ROWS),
  };
}
