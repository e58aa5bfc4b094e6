/**
 * A sync as a BullMQ job on its own queue. Its id comes from (recipe, scheduled time), so
 * two schedulers firing the same slot, or a double-typed `ferry sync`, enqueue it once.
 */
import type { Job, Queue } from 'bullmq';
import type { RunTrigger } from '../run/types.ts';

/** Queue name of syncs; the BullMQ prefix carries the namespace hash tag, as for runs. */
export const SYNCS_QUEUE = 'syncs';

/** BullMQ job data of a sync. */
export interface SyncJobData {
  recipe: string;
  /** The scheduled time (ISO), or the moment `ferry sync` was typed. */
  slot: string;
  /** How far back the first sync ever (no watermark yet) lists, in days before the slot's day. */
  lookbackDays: number;
  trigger: RunTrigger;
}

/** What a finished sync reports: what it listed and which runs it fanned out. */
export interface SyncResult {
  recipe: string;
  slot: string;
  /** The day listed from (inclusive). */
  since: string;
  listed: number;
  /** Listed records the ledger had already settled (done, rejected, in review, failed); not fanned out. */
  skipped: number;
  /** Key ids of the runs fanned out (the run job ids are `runJobId(recipe, keyId)`). */
  keyIds: string[];
  /**
   * Set when `list` asked a person and no answer was stored: the task's id. Nothing was fanned
   * out and the watermark stayed; the answer sends this same job back to the queue.
   */
  waitingFor?: string;
}

/** Options of {@link enqueueSync}. */
export interface EnqueueSyncOptions {
  trigger: RunTrigger;
  /** Days before the slot's day that a recipe's first sync lists from. @defaultValue 1 */
  lookbackDays?: number;
  /** Attempts for transient failures of the list step (backoff from 10 s, doubling). @defaultValue 5 */
  attempts?: number;
}

/** The job id of a sync: `sync__<recipe>__<UTC time to the second>`, free of `:` as BullMQ requires. */
export function syncJobId(recipe: string, slot: Date): string {
  const stamp = slot.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '');
  return `sync__${recipe}__${stamp}Z`;
}

/** The key id a sync's questions and answers are stored under: `#` and its job id, which no record's key id can be (keys hold no `#`). */
export function syncKeyId(syncId: string): string {
  return `#${syncId}`;
}

/** Adds the sync for (recipe, slot), or finds the one already added. */
export async function enqueueSync(
  queue: Queue<SyncJobData, SyncResult>, recipe: string, slot: Date, options: EnqueueSyncOptions,
): Promise<Job<SyncJobData, SyncResult>> {
  const data: SyncJobData = { recipe, slot: slot.toISOString(), lookbackDays: options.lookbackDays ?? 1, trigger: options.trigger };
  return queue.add('sync', data, {
    jobId: syncJobId(recipe, slot),
    attempts: options.attempts ?? 5,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 30 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  });
}
