/**
 * Answering a task, for the dashboard and the CLI alike: the answer is checked against the
 * recipe's declared question, stored (the first answer wins), audited without its value, and
 * the run is sent back to the queue for the same (recipe, key); a sync's task sends its sync
 * job back instead (see {@link SyncTasks}). Sending it back is repeated
 * by the sweep until it takes, so an answer is never stranded by a crash or a race with the
 * run that asked.
 */
import type { SecretBox } from '../access/secrets.ts';
import { Job, type Queue } from 'bullmq';
import type { AuditLog } from '../access/audit.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { RunHistory } from '../run/history.ts';
import type { Runtime } from '../runtime.ts';
import { SyncTasks } from '../scheduler/sync-tasks.ts';
import { triggerRun } from '../run/trigger.ts';
import { QUEUED_JOB_STATES, type RunJobData, type RunTrigger, type TriggerIdentity } from '../run/types.ts';
import { checkAnswer } from './answer-check.ts';
import { questionOfTask } from './asker.ts';
import { CONFIRM_QUESTION_ID } from './question.ts';
import type { Task, TaskStore } from './task-store.ts';

/** An answer refused, with a message for the person who gave it. */
export class TaskAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskAnswerError';
  }
}

/** What {@link TaskDesk} works with. */
export interface TaskDeskDependencies {
  tasks: TaskStore;
  recipes: RecipeRegistry;
  ledger: Ledger;
  queue: Queue<RunJobData>;
  history: RunHistory;
  audit: AuditLog;
  /** The tasks of syncs: their job's state, resuming them, failing them unanswered. */
  syncs: SyncTasks;
  /** Keyed hash for keys that carry personal data, to add a run again whose job the queue dropped. */
  hash(value: string): string;
  /** Opens and seals again the stored input of a recipe with `sealedInput`. */
  secrets: SecretBox;
  attempts: number;
}

/** Who answers: a name for the audit log, the identity tasks are assigned to, and whether they answer for ops. */
export interface Answerer {
  name: string;
  identity: TriggerIdentity;
  /** Ops (and admins, and the CLI's local operator) may answer any task. */
  ops: boolean;
  ip?: string;
}

/** True when `who` may see and answer `task`: its assignee, or ops; a record to confirm only the clerk who triggered it (it shows the record whole). */
export function mayAnswer(task: Task, who: Pick<Answerer, 'identity' | 'ops'>): boolean {
  if (task.question === CONFIRM_QUESTION_ID) return task.assignee === who.identity;
  return who.ops || task.assignee === who.identity;
}

/** Where an answered task's run stands: sent back to the queue, still finishing the attempt that asked, or past needing it. */
export type ResumeResult = 'resumed' | 'pending' | 'settled';

/** How often, and how far apart, an answer looks again at a run whose asking attempt is still finishing. */
const PENDING_TRIES = 50;
const PENDING_PAUSE_MS = 100;

export class TaskDesk {
  constructor(private readonly deps: TaskDeskDependencies) {}

  /** Checks and stores the answer, audits it, and sends the run back to the queue. */
  async answer(taskId: string, raw: string, who: Answerer): Promise<ResumeResult> {
    const { tasks, audit } = this.deps;
    let task: Task | null = null;
    try {
      task = await tasks.get(taskId);
      if (!task || !mayAnswer(task, who)) throw new TaskAnswerError(`There is no open question "${taskId}" for you.`);
      await this.refuseUnlessOpen(task);
      const question = questionOfTask(this.deps.recipes, task);
      if (!question) throw new TaskAnswerError(`Recipe ${task.recipe} no longer declares the question "${task.question}"; ops can retry the run.`);
      const checked = checkAnswer(question, await tasks.details(task), raw);
      if ('problem' in checked) throw new TaskAnswerError(checked.problem);
      const stored = await tasks.answer(task, checked.value, who.name);
      if (stored !== 'ok') await this.refuseUnlessOpen({ ...task, state: stored === 'missing' ? 'expired' : stored });
    } catch (error) {
      await audit.record({ who: who.name, ip: who.ip, action: 'answer', target: taskId, outcome: 'failed', detail: (error as Error).message });
      throw error;
    }
    await audit.record({ who: who.name, ip: who.ip, action: 'answer', target: taskId, outcome: 'ok', detail: `question ${task.question}` });
    // The attempt that asked may be finishing its job this very moment (a person who answers within
    // milliseconds, a script): give it a few seconds. Past that, the scheduler's sweep resumes the run.
    for (let tries = 0; ; tries++) {
      const resumed = await this.resume(task, `answered · ${who.name}`);
      if (resumed !== 'pending' || tries >= PENDING_TRIES) return resumed;
      await new Promise((resolve) => setTimeout(resolve, PENDING_PAUSE_MS));
    }
  }

  /** Sends the run (or sync) of an answered task back to the queue when it waits for a person; a no-op otherwise. */
  async resume(task: Task, note = 'answered'): Promise<ResumeResult> {
    if (task.sync) return this.deps.syncs.resume(task, task.sync);
    const { ledger, queue, history, tasks } = this.deps;
    const entry = await ledger.get(task.recipe, task.keyId);
    const jobState = await queue.getJobState(task.run);
    const open = entry?.state === 'WAITING_FOR_PERSON' || entry?.state === 'CLAIMED';
    // The attempt that asked may still be finishing; the sweep comes back to it.
    if (open && jobState === 'active') return 'pending';
    if (entry?.state !== 'WAITING_FOR_PERSON' || QUEUED_JOB_STATES.includes(jobState)) {
      await tasks.resumed(task.id);
      return open ? 'resumed' : 'settled';
    }
    // QUEUED first: a worker may take the job the moment it is back in the queue.
    await history.requeued(task.run, note);
    const job = await Job.fromId<RunJobData>(queue, task.run);
    try {
      if (job) await job.retry(jobState === 'failed' ? 'failed' : 'completed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      else await this.readd(task);
    } catch (error) {
      // Another resume (the sweep, a second process) sent it back first: the job has left the finished set.
      const now = await queue.getJobState(task.run);
      if (now !== 'active' && !QUEUED_JOB_STATES.includes(now)) throw error;
    }
    await tasks.resumed(task.id);
    return 'resumed';
  }

  /** Records a sync whose task expired unanswered as failed with `reason`, while it still waited on that task; true when it did. */
  async failUnansweredSync(task: Task, reason: string): Promise<boolean> {
    return this.deps.syncs.failUnanswered(task, reason);
  }

  /** Throws the reason an answer to `task` is not taken: answered already, or its run (or sync) settled or discarded meanwhile. */
  private async refuseUnlessOpen(task: Task): Promise<void> {
    if (task.state === 'answered') throw new TaskAnswerError(`This question was answered already${task.answeredBy ? ` by ${task.answeredBy}` : ''}; the ${task.sync ? 'sync' : 'run'} goes on with that answer.`);
    if (task.sync) return this.refuseUnlessSyncWaits(task);
    const state = (await this.deps.ledger.get(task.recipe, task.keyId))?.state;
    if (state === 'DISCARDED') throw new TaskAnswerError('The run was discarded by ops meanwhile; the answer is not needed.');
    if (state === 'DONE') throw new TaskAnswerError('The record was entered meanwhile (or resolved by ops); the answer is not needed.');
    if (task.state === 'expired') throw new TaskAnswerError('This question went unanswered past its deadline and the run was rejected with "no answer"; ops can retry the run.');
    if (state && state !== 'WAITING_FOR_PERSON' && state !== 'CLAIMED') {
      await this.deps.tasks.expire(task.id);
      throw new TaskAnswerError(`The run is ${state} now, settled without this answer; the answer is not needed.`);
    }
  }

  /** The sync side of {@link refuseUnlessOpen}: the sync no longer waits once its job finished or failed by other means. */
  private async refuseUnlessSyncWaits(task: Task): Promise<void> {
    if (task.state === 'expired') throw new TaskAnswerError('This question went unanswered past its deadline and the sync failed with "no answer"; the next sync asks again.');
    const settled = await this.deps.syncs.settledReason(task);
    if (settled) {
      await this.deps.tasks.expire(task.id);
      throw new TaskAnswerError(settled);
    }
  }

  /** Adds the run again, as it was triggered, when the queue has dropped its job. */
  private async readd(task: Task): Promise<void> {
    const found = await this.deps.history.get(task.run);
    if (!found?.run.input) throw new TaskAnswerError('The run\'s job has expired and the run kept no input; trigger it again.');
    const trigger = { via: found.run.via, by: found.run.by } as RunTrigger;
    await triggerRun(this.deps.queue, this.deps.recipes.get(task.recipe), JSON.parse(found.run.input), {
      trigger, hash: this.deps.hash, secrets: this.deps.secrets, attempts: this.deps.attempts,
    });
  }
}

/** The task desk over a runtime's tasks, ledger, queue and recipes, answers recorded in `audit`. */
export function taskDeskOf(runtime: Runtime, audit: AuditLog): TaskDesk {
  return new TaskDesk({
    tasks: runtime.tasks, recipes: runtime.recipes, ledger: runtime.ledger, queue: runtime.queue, history: runtime.history, audit,
    syncs: new SyncTasks(runtime.syncs, runtime.syncState, runtime.tasks),
    hash: (value) => runtime.secrets.keyedHash(value), secrets: runtime.secrets, attempts: runtime.config.attempts,
  });
}
