/**
 * One sync job: list the recipe's records since its watermark, fan out one run per new
 * record (and one flagged run per row the list could not read), and only then move the
 * watermark to the slot's day. A failed list step leaves the watermark where it was, so
 * the next sync lists the same days again; a row that cannot be read does not fail it. A
 * `list` that asks a person a question with no answer yet completes the job waiting: nothing
 * fanned out, the watermark kept, a task open; the answer sends the same job back.
 */
import type { SecretBox } from '../access/secrets.ts';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import { classifyFailure } from '../errors.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { PersonNeededError } from '../ask/question.ts';
import type { TaskStore } from '../ask/task-store.ts';
import { maskError, maskText } from '../access/mask.ts';
import { triggeredBy, type RunJobData } from '../run/types.ts';
import { fanOut } from './fan-out.ts';
import { flagUnreadable } from './flag-unreadable.ts';
import { listRecords, type ListDependencies } from './list-records.ts';
import { daysBefore, slotDay } from './slots.ts';
import { syncKeyId, type SyncJobData, type SyncResult } from './sync-jobs.ts';
import type { SyncState } from './sync-state.ts';
import { syncAskerFor } from './sync-tasks.ts';
import { UnreadableRow } from './unreadable-row.ts';

/** What a worker hands the sync executor. */
export interface SyncDependencies extends ListDependencies {
  queue: Queue<RunJobData>;
  ledger: Ledger;
  syncState: SyncState;
  /** Where `list`'s questions to people are opened and their answers found. */
  tasks: TaskStore;
  /** Keyed hash for keys that carry personal data. */
  hash(value: string): string;
  /** Seals the inputs of a recipe with `sealedInput`. */
  secrets: SecretBox;
  /** Attempts per fanned-out run, unless the recipe sets its own. */
  attempts: number;
}

/** Executes a sync job; returns what it listed and fanned out, or throws (BullMQ retries or fails it). */
export async function executeSync(job: Job<SyncJobData, SyncResult>, recipe: Recipe, deps: SyncDependencies): Promise<SyncResult> {
  if (!recipe.schedule) throw new UnrecoverableError(`recipe ${recipe.id} has no schedule`);
  const syncId = String(job.id);
  const log = deps.log.child({ recipe: recipe.id, sync: syncId, attempt: job.attemptsMade + 1 });
  const day = slotDay(recipe.schedule, new Date(job.data.slot));
  const since = (await deps.syncState.watermark(recipe.id)) ?? daysBefore(day, job.data.lookbackDays);
  try {
    const { ask } = syncAskerFor(deps.tasks, recipe, syncId);
    const listed = await listRecords(recipe, { since, day, ask }, syncId, { ...deps, log });
    const unreadable = listed.filter((row) => row instanceof UnreadableRow);
    const inputs = listed.filter((row) => !(row instanceof UnreadableRow));
    const options = { trigger: { via: 'schedule' as const, by: triggeredBy.schedule(recipe.id) }, hash: deps.hash, secrets: deps.secrets, attempts: deps.attempts };
    const runs = await fanOut(deps.queue, deps.ledger, recipe, inputs, options);
    const flagged = await flagUnreadable(deps.queue, deps.ledger, recipe, unreadable, options);
    if (unreadable.length > 0) log.warn({ unreadable: unreadable.length, flagged: flagged.keyIds.length }, 'rows the list could not read are flagged for ops');
    const keyIds = [...runs.keyIds, ...flagged.keyIds];
    const skipped = runs.skipped + flagged.skipped;
    await deps.syncState.advanceWatermark(recipe.id, day);
    const result: SyncResult = { recipe: recipe.id, slot: job.data.slot, since, listed: listed.length, skipped, keyIds };
    await deps.syncState.recordSync(recipe.id, {
      slot: job.data.slot, at: new Date().toISOString(), state: 'done', since, listed: listed.length, skipped, runs: keyIds.length,
    });
    log.info({ since, listed: listed.length, skipped, runs: keyIds.length }, 'synced');
    return result;
  } catch (error) {
    if (error instanceof PersonNeededError) return waitForPerson(job, recipe, deps, { since, day }, error, log);
    const reason = maskText((error as Error)?.message ?? String(error)).split('\n')[0].slice(0, 500);
    const kind = classifyFailure(error);
    const unrecoverable = (error as Error)?.name === 'InputError' || kind === 'business' || kind === 'configuration' || kind === 'recipe-bug';
    if (unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      log.warn({ reason }, 'sync failed for good');
      await deps.syncState.recordSync(recipe.id, { slot: job.data.slot, at: new Date().toISOString(), state: 'failed', since, reason });
    } else {
      log.info({ reason }, 'sync failed; will retry');
    }
    throw unrecoverable ? new UnrecoverableError(reason) : maskError(error);
  }
}

/**
 * `list` asked a question nobody has answered: the task opens (or is found open) for the sync,
 * whose last state says it waits; nothing is fanned out and the watermark stays. The job
 * completes, holding no worker and burning no attempt, until the answer sends it back.
 */
async function waitForPerson(
  job: Job<SyncJobData, SyncResult>, recipe: Recipe, deps: SyncDependencies, { since, day }: { since: string; day: string },
  needed: PersonNeededError, log: SyncDependencies['log'],
): Promise<SyncResult> {
  const syncId = String(job.id);
  const task = await deps.tasks.open({
    run: syncId, recipe: recipe.id, keyId: syncKeyId(syncId), questionId: needed.questionId, question: needed.question,
    trigger: job.data.trigger, details: needed.details, sync: { ...job.data, day },
  });
  await deps.syncState.recordSync(recipe.id, { slot: job.data.slot, at: new Date().toISOString(), state: 'waiting', since, task });
  log.info({ since, task, question: needed.questionId }, 'sync waits for a person');
  return { recipe: recipe.id, slot: job.data.slot, since, listed: 0, skipped: 0, keyIds: [], waitingFor: task };
}
