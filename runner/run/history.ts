/**
 * Run history for people: who triggered a run, with what input, its timeline of steps and
 * attempts, and how it ended. The staff page shows a clerk's own runs from it, the ops page
 * the runs that need attention. Kept `FERRY_RECORD_RETENTION_DAYS` (90) after a run's last
 * change, and listed while it was created (or, on the ops list, ended) within that many days.
 * The input is the job's own (usually a case number; a trigger refuses inputs carrying ID
 * numbers or phones), kept so that ops can run the record again after the queue has dropped its job.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import type { HeldFor } from '../errors.ts';
import type { LedgerState } from '../ledger/ledger.ts';
import { maskText } from '../access/mask.ts';
import { addToTimedIndex, retentionSeconds } from '../redis/retention.ts';
import type { RunJobData, RunOutcome, RunStep, TriggerIdentity } from './types.ts';

/** A run as a person sees it. */
export interface RunRecord {
  id: string;
  recipe: string;
  keyId: string;
  via: string;
  by: string;
  createdAt: number;
  updatedAt: number;
  state: LedgerState | 'QUEUED' | 'RUNNING';
  /** The run's input as JSON, as its job carried it; absent on runs recorded before inputs were kept. */
  input?: string;
  receipt?: string;
  reason?: string;
  evidence?: string;
}

/** One line of a run's timeline. */
export interface RunEvent {
  at: number;
  /** `closed`: the run waits for a system outside its opening hours; `paused`: for a bot whose circuit is paused or open (no attempt either way). */
  kind: 'attempt' | 'step' | 'retry' | 'finished' | 'ops' | 'closed' | HeldFor;
  attempt?: number;
  step?: RunStep;
  detail?: string;
}

/** States that put a run on the ops page. */
export const ATTENTION_STATES: LedgerState[] = ['REJECTED', 'NEEDS_REVIEW', 'FAILED'];

/** The runs people see: one per Ferry process, `runtime.history`. */
export class RunHistory {
  private readonly keepSeconds: number;

  /** `retentionDays`: `FERRY_RECORD_RETENTION_DAYS`. */
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, retentionDays: number) {
    this.keepSeconds = retentionSeconds(retentionDays);
  }

  /** Records that an attempt began (creating the run record on its first attempt). */
  async attemptStarted(jobId: string, data: RunJobData, attempt: number): Promise<void> {
    await this.upsert(jobId, data, 'RUNNING');
    await this.event(jobId, { kind: 'attempt', attempt });
  }

  /** Records that the run waits, without an attempt, for a system that is closed, whose bot is paused, or whose sessions are all busy (`detail`: `<system> · <until or why>`). */
  async waitingForSystem(jobId: string, data: RunJobData, kind: 'closed' | HeldFor, detail: string): Promise<void> {
    await this.upsert(jobId, data, 'QUEUED');
    await this.event(jobId, { kind, detail });
  }

  /** Writes the run record in `state`, creating it (and indexing it) the first time. */
  private async upsert(jobId: string, data: RunJobData, state: 'RUNNING' | 'QUEUED'): Promise<void> {
    const now = Date.now();
    const key = this.keys.run(jobId);
    const created = await this.redis.hsetnx(key, 'createdAt', now);
    const multi = this.redis.multi()
      .hset(key, {
        id: jobId, recipe: data.recipe, keyId: data.keyId, input: JSON.stringify(data.input), via: data.trigger.via, by: data.trigger.by,
        state, updatedAt: now,
      })
      .expire(key, this.keepSeconds);
    if (created) {
      addToTimedIndex(multi, this.keys.runIndex(), jobId, now, this.keepSeconds);
      addToTimedIndex(multi, this.keys.runsOf(data.trigger.by), jobId, now, this.keepSeconds);
    }
    await multi.exec();
  }

  async event(jobId: string, event: Omit<RunEvent, 'at'>): Promise<void> {
    const key = this.keys.runEvents(jobId);
    const line: RunEvent = { at: Date.now(), ...event, ...(event.detail ? { detail: maskText(event.detail) } : {}) };
    await this.redis.multi().rpush(key, JSON.stringify(line)).ltrim(key, -200, -1).expire(key, this.keepSeconds).exec();
  }

  /** Records that ops sent the run back to the queue: it shows QUEUED and leaves the attention list until it ends again. */
  async requeued(jobId: string, detail: string): Promise<void> {
    await this.redis.multi()
      .hset(this.keys.run(jobId), { state: 'QUEUED', updatedAt: Date.now() })
      .expire(this.keys.run(jobId), this.keepSeconds)
      .zrem(this.keys.attentionIndex(), jobId)
      .exec();
    await this.event(jobId, { kind: 'ops', detail });
  }

  /** Records how a run ended; failures join the ops attention list, successes leave it. */
  async finished(jobId: string, outcome: RunOutcome & { evidence?: string }): Promise<void> {
    const now = Date.now();
    const fields: Record<string, string | number> = { state: outcome.state, updatedAt: now };
    if (outcome.receipt) fields.receipt = outcome.receipt;
    if (outcome.reason) fields.reason = maskText(outcome.reason);
    if (outcome.evidence) fields.evidence = outcome.evidence;
    const multi = this.redis.multi().hset(this.keys.run(jobId), fields).expire(this.keys.run(jobId), this.keepSeconds);
    if (ATTENTION_STATES.includes(outcome.state)) addToTimedIndex(multi, this.keys.attentionIndex(), jobId, now, this.keepSeconds);
    else multi.zrem(this.keys.attentionIndex(), jobId);
    await multi.exec();
    await this.event(jobId, { kind: 'finished', detail: outcome.state });
  }

  async get(jobId: string): Promise<{ run: RunRecord; events: RunEvent[] } | null> {
    const raw = await this.redis.hgetall(this.keys.run(jobId));
    if (!raw.id) return null;
    const events = (await this.redis.lrange(this.keys.runEvents(jobId), 0, -1)).map((line) => JSON.parse(line) as RunEvent);
    return { run: toRecord(raw), events };
  }

  /** Runs from an index, newest first. */
  async list(index: 'all' | 'attention' | { by: TriggerIdentity }, limit = 100): Promise<RunRecord[]> {
    const key = index === 'all' ? this.keys.runIndex() : index === 'attention' ? this.keys.attentionIndex() : this.keys.runsOf(index.by);
    const ids = await this.redis.zrevrange(key, 0, limit - 1);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.run(id));
    const rows = ((await pipeline.exec()) ?? []).map(([, raw]) => raw as Record<string, string>);
    return rows.filter((raw) => raw?.id).map(toRecord);
  }
}

function toRecord(raw: Record<string, string>): RunRecord {
  return {
    ...raw,
    createdAt: Number(raw.createdAt),
    updatedAt: Number(raw.updatedAt),
  } as unknown as RunRecord;
}
