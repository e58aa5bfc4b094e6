/**
 * Tasks: the questions runs (and syncs, about a whole batch) put to people, in Redis. A task's id
 * is `<run id>~<question id>`, so a run that asks again after a crash finds the task it opened.
 * What may hold personal data (the image, the offered choices, the detail line, the answer) is
 * sealed with the secret key; the task hash itself holds only ids, states, times and a sync's job data.
 */
import type { Redis } from 'ioredis';
import type { SecretBox } from '../access/secrets.ts';
import type { RedisKeys } from '../redis/keys.ts';
import { retentionSeconds } from '../redis/retention.ts';
import type { RunTrigger, TriggerIdentity } from '../run/types.ts';
import type { SyncJobData } from '../scheduler/sync-jobs.ts';
import { ESCALATE_AFTER_MINUTES, REJECT_AFTER_MINUTES, type AskDetails, type Choice, type ConfirmRow, type Question, type QuestionKind } from './question.ts';
import { ANSWER_TASK, ESCALATE_TASK, EXPIRE_TASK, OPEN_TASK } from './task-scripts.ts';

/** The sync a task belongs to, when a schedule's `list` asked it about a whole batch: its job's data and its slot's day. */
export type TaskSync = SyncJobData & { day: string };

/** Who answers a task: a person by identity, or ops. */
export type Assignee = TriggerIdentity | 'ops';

/** A task as stored. */
export interface Task {
  id: string;
  /** The run (job id) that asked; for a sync's task, the sync job id. */
  run: string;
  recipe: string;
  keyId: string;
  question: string;
  kind: QuestionKind;
  assignee: Assignee;
  /** Who triggered the run. */
  by: TriggerIdentity;
  state: 'open' | 'answered' | 'expired';
  createdAt: number;
  escalateAt: number;
  expireAt: number;
  /** True once it went to ops as well, unanswered past its first deadline. */
  escalated: boolean;
  hasImage: boolean;
  answeredBy?: string;
  answeredAt?: number;
  /** Set when the task belongs to a sync rather than to one record's run. */
  sync?: TaskSync;
}

/** What a run asks: the (declared) question and this record's details. */
export interface NewTask {
  run: string;
  recipe: string;
  keyId: string;
  questionId: string;
  question: Question;
  trigger: RunTrigger;
  details: AskDetails;
  /** The sync that asked, when `list` did. */
  sync?: TaskSync;
}

/** What a task shows the person answering, unsealed. */
export interface TaskDetails {
  choices?: Choice[];
  detail?: string;
  rows?: ConfirmRow[];
}

/** The outcome of an answer: stored, or why not. */
export type AnswerResult = 'ok' | 'answered' | 'expired' | 'missing';

const MINUTE = 60_000;
const SEPARATOR = '~';

/** The id of the task of question `questionId` in run `runId`. */
export function taskIdOf(runId: string, questionId: string): string {
  return `${runId}${SEPARATOR}${questionId}`;
}

/** Who answers a question asked in a run triggered by `trigger`: nobody waits at a schedule or a batch, so ops do. */
export function assigneeOf(question: Question, trigger: RunTrigger): Assignee {
  if (question.answeredBy === 'ops' || trigger.via === 'schedule' || trigger.via === 'batch') return 'ops';
  return trigger.by;
}

export class TaskStore {
  /** How long a closed task and a record's answers are kept. */
  private readonly keepSeconds: number;

  /** `retentionDays`: `FERRY_RECORD_RETENTION_DAYS`. */
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly box: SecretBox, retentionDays: number) {
    this.keepSeconds = retentionSeconds(retentionDays);
  }

  /** Opens the task of a question (or finds it open); resolves with its id. */
  async open(task: NewTask, now = Date.now()): Promise<string> {
    const id = taskIdOf(task.run, task.questionId);
    const escalateAt = now + (task.question.escalateAfterMinutes ?? ESCALATE_AFTER_MINUTES) * MINUTE;
    const expireAt = now + (task.question.rejectAfterMinutes ?? REJECT_AFTER_MINUTES) * MINUTE;
    const { image, choices, detail, rows } = task.details;
    const fields: Record<string, string> = {
      run: task.run, recipe: task.recipe, keyId: task.keyId, question: task.questionId, kind: task.question.kind,
      assignee: assigneeOf(task.question, task.trigger), by: task.trigger.by, hasImage: image ? '1' : '0',
      sealed: this.box.seal(JSON.stringify({ choices, detail, rows } satisfies TaskDetails)),
      ...(task.sync ? { sync: JSON.stringify(task.sync) } : {}),
    };
    const ttl = Math.ceil((expireAt - now) / 1000) + this.keepSeconds;
    // Before the task opens, so an open task with an image always has it (the same crop when it was open already).
    if (image) await this.redis.set(this.keys.taskImage(id), this.box.sealBytes(image).toString('base64'), 'EX', ttl);
    await this.redis.eval(
      OPEN_TASK, 5, this.keys.task(id), this.keys.openTasks(), this.keys.taskEscalations(), this.keys.taskExpiries(),
      this.keys.answers(task.recipe, task.keyId), id, now, escalateAt, expireAt, task.questionId, ttl, ...Object.entries(fields).flat(),
    );
    return id;
  }

  async get(id: string): Promise<Task | null> {
    const raw = await this.redis.hgetall(this.keys.task(id));
    return raw.state ? toTask(raw) : null;
  }

  /** The choices and detail line of a task, unsealed: show them only to someone who may answer it. */
  async details(task: Task): Promise<TaskDetails> {
    const sealed = await this.redis.hget(this.keys.task(task.id), 'sealed');
    return sealed ? (JSON.parse(this.box.open(sealed)) as TaskDetails) : {};
  }

  /** A task's image, unsealed, or null. */
  async image(id: string): Promise<Buffer | null> {
    const sealed = await this.redis.get(this.keys.taskImage(id));
    return sealed ? this.box.openBytes(Buffer.from(sealed, 'base64'), 'The task image') : null;
  }

  /** Open tasks, oldest first. */
  async listOpen(limit = 500): Promise<Task[]> {
    const ids = await this.redis.zrange(this.keys.openTasks(), 0, limit - 1);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.task(id));
    const rows = ((await pipeline.exec()) ?? []).map(([, raw]) => raw as Record<string, string>);
    return rows.filter((raw) => raw?.state === 'open').map(toTask);
  }

  /** Stores `value` (already checked) as the answer when the task is still open: the first answer wins. */
  async answer(task: Task, value: string, who: string, now = Date.now()): Promise<AnswerResult> {
    const sealed = this.box.seal(JSON.stringify({ value, by: who, at: now }));
    return (await this.redis.eval(
      ANSWER_TASK, 6, this.keys.task(task.id), this.keys.answers(task.recipe, task.keyId), this.keys.openTasks(),
      this.keys.taskEscalations(), this.keys.taskExpiries(), this.keys.taskResumes(),
      task.id, now, task.question, sealed, who, this.keepSeconds,
    )) as AnswerResult;
  }

  /** The stored answer to a record's question, or undefined. */
  async storedAnswer(recipe: string, keyId: string, questionId: string): Promise<string | undefined> {
    const sealed = await this.redis.hget(this.keys.answers(recipe, keyId), questionId);
    return sealed ? (JSON.parse(this.box.open(sealed)) as { value: string }).value : undefined;
  }

  /** Closes an open task unanswered; true when it was still open. */
  async expire(id: string, now = Date.now()): Promise<boolean> {
    return (await this.redis.eval(EXPIRE_TASK, 4, this.keys.task(id), this.keys.openTasks(), this.keys.taskEscalations(), this.keys.taskExpiries(), id, now)) === 1;
  }

  /** Hands an open task to ops as well; true when it was open and not yet escalated. */
  async escalate(id: string, now = Date.now()): Promise<boolean> {
    return (await this.redis.eval(ESCALATE_TASK, 2, this.keys.task(id), this.keys.taskEscalations(), id, now)) === 1;
  }

  /** Ids of open tasks due for escalation, or for expiry, by `now`. */
  async due(kind: 'escalate' | 'expire', now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(kind === 'escalate' ? this.keys.taskEscalations() : this.keys.taskExpiries(), 0, now, 'LIMIT', 0, 500);
  }

  /** Answered tasks whose run has not been seen going again, answered at or before `before`. */
  async unresumed(before = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.taskResumes(), 0, before, 'LIMIT', 0, 500);
  }

  /** Takes a task off the resume list: its run is queued, running or settled. */
  async resumed(id: string): Promise<void> {
    await this.redis.zrem(this.keys.taskResumes(), id);
  }
}

function toTask(raw: Record<string, string>): Task {
  return {
    id: raw.id, run: raw.run, recipe: raw.recipe, keyId: raw.keyId, question: raw.question, kind: raw.kind as QuestionKind,
    assignee: raw.assignee as Assignee, by: raw.by as TriggerIdentity, state: raw.state as Task['state'],
    createdAt: Number(raw.createdAt), escalateAt: Number(raw.escalateAt), expireAt: Number(raw.expireAt),
    escalated: raw.escalated === '1', hasImage: raw.hasImage === '1',
    ...(raw.answeredBy ? { answeredBy: raw.answeredBy, answeredAt: Number(raw.answeredAt) } : {}),
    ...(raw.sync ? { sync: JSON.parse(raw.sync) as TaskSync } : {}),
  };
}
