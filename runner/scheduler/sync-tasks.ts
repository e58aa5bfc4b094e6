/**
 * The questions a schedule's `list` puts to a person about a whole batch. Its answers are
 * stored under the sync's own key id; a sync that asked completes its job waiting (the result
 * names the task), and the answer sends that same job back to the syncs queue, or adds it
 * again for the same slot when the queue has dropped it. No ledger is involved: a sync is no record.
 */
import { Job, type Queue } from 'bullmq';
import { askerFor, type Asker } from '../ask/asker.ts';
import type { ResumeResult } from '../ask/task-desk.ts';
import type { Task, TaskStore, TaskSync } from '../ask/task-store.ts';
import type { Recipe } from '../define/recipe.ts';
import { enqueueSync, syncKeyId, type SyncJobData, type SyncResult } from './sync-jobs.ts';
import { QUEUED_JOB_STATES } from '../run/types.ts';
import type { SyncState } from './sync-state.ts';


/** The `ask` of the sync `syncId`'s `list`, over the recipe's declared `questions` (a record's confirmation is no batch's question). */
export function syncAskerFor(tasks: TaskStore, recipe: Pick<Recipe, 'id' | 'questions'>, syncId: string): Asker {
  return askerFor(tasks, { recipe: recipe.id, keyId: syncKeyId(syncId) }, recipe.questions);
}

/** Where the sync of a task stands, and what the answer does with it. */
export class SyncTasks {
  constructor(private readonly syncs: Queue<SyncJobData, SyncResult>, private readonly syncState: SyncState, private readonly tasks: TaskStore) {}

  /** Why an answer to the sync's task is no longer needed (its job finished or failed without it), or null while it waits (or its job is gone). */
  async settledReason(task: Task): Promise<string | null> {
    const { job, state } = await this.jobOf(task);
    if (state === 'failed') return `The sync failed meanwhile (${job?.failedReason}); the answer is not needed.`;
    if (state === 'completed' && job?.returnvalue?.waitingFor !== task.id) return 'The sync finished meanwhile without this answer; the answer is not needed.';
    return null;
  }

  /** Sends the sync of an answered task back to the queue while it waits on it; a no-op once it runs again or ended otherwise. */
  async resume(task: Task, sync: TaskSync): Promise<ResumeResult> {
    const { job, state } = await this.jobOf(task);
    // The attempt that asked may still be completing its job; the sweep comes back to it.
    if (state === 'active') return 'pending';
    const settled = state === 'failed' || (state === 'completed' && job?.returnvalue?.waitingFor !== task.id);
    if (settled || QUEUED_JOB_STATES.includes(state)) {
      await this.tasks.resumed(task.id);
      return settled ? 'settled' : 'resumed';
    }
    try {
      if (job) await job.retry('completed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      else await enqueueSync(this.syncs, sync.recipe, new Date(sync.slot), { trigger: sync.trigger, lookbackDays: sync.lookbackDays });
    } catch (error) {
      // Another resume (the sweep, a second process) sent it back first: the job has left the completed set.
      const now = await this.syncs.getJobState(task.run);
      if (now !== 'active' && !QUEUED_JOB_STATES.includes(now)) throw error;
    }
    await this.tasks.resumed(task.id);
    return 'resumed';
  }

  /** Records the sync of a task that expired unanswered as failed with `reason`, unless a later sync was recorded since; true when it did. */
  async failUnanswered(task: Task, reason: string): Promise<boolean> {
    return this.syncState.failWaiting(task.recipe, task.id, reason);
  }

  private async jobOf(task: Task) {
    const job = await Job.fromId<SyncJobData, SyncResult>(this.syncs, task.run);
    return { job, state: job ? await job.getState() : 'unknown' };
  }
}
