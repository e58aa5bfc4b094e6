/**
 * Per-recipe schedule state in Redis (one hash under `RedisKeys.schedule`): the watermark
 * (the day the next sync lists from), the last slot a scheduler fired, and how the last
 * sync ended. Watermark and last-fired slot only ever move forward.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';

/** Sets a hash field to a value only when it is greater (as a string) than the one stored. */
const ADVANCE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current >= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** How the last sync of a recipe ended, for `ferry status` and the dashboard. */
export interface LastSync {
  /** The sync's slot (ISO). */
  slot: string;
  /** When it ended (ISO). */
  at: string;
  /** `waiting`: its `list` asked a person (task `task`); it fanned out nothing and goes on once answered. */
  state: 'done' | 'failed' | 'waiting';
  since?: string;
  listed?: number;
  skipped?: number;
  runs?: number;
  reason?: string;
  /** The task a waiting sync waits on. */
  task?: string;
}

/** Fails the last sync (ARGV: task id, ISO time, reason) only while it waits on that task; 1 when it did. */
const FAIL_WAITING = `
local current = redis.call('HGET', KEYS[1], 'lastSync')
if not current then return 0 end
local last = cjson.decode(current)
if last.state ~= 'waiting' or last.task ~= ARGV[1] then return 0 end
last.state = 'failed'
last.at = ARGV[2]
last.reason = ARGV[3]
last.task = nil
redis.call('HSET', KEYS[1], 'lastSync', cjson.encode(last))
return 1`;

export class SyncState {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  /** The day (`YYYY-MM-DD`) the next sync lists from; null before the first sync. */
  async watermark(recipe: string): Promise<string | null> {
    return this.redis.hget(this.keys.schedule(recipe), 'watermark');
  }

  /** Moves the watermark forward to `day`; never back. */
  async advanceWatermark(recipe: string, day: string): Promise<void> {
    await this.redis.eval(ADVANCE, 1, this.keys.schedule(recipe), 'watermark', day);
  }

  /** The last slot a scheduler enqueued; null when no scheduler ever ran this recipe. */
  async lastFired(recipe: string): Promise<Date | null> {
    const value = await this.redis.hget(this.keys.schedule(recipe), 'lastFired');
    return value ? new Date(value) : null;
  }

  /** Records that the sync of `slot` was enqueued; never moves back. */
  async advanceLastFired(recipe: string, slot: Date): Promise<void> {
    await this.redis.eval(ADVANCE, 1, this.keys.schedule(recipe), 'lastFired', slot.toISOString());
  }

  async lastSync(recipe: string): Promise<LastSync | null> {
    const value = await this.redis.hget(this.keys.schedule(recipe), 'lastSync');
    return value ? (JSON.parse(value) as LastSync) : null;
  }

  async recordSync(recipe: string, outcome: LastSync): Promise<void> {
    await this.redis.hset(this.keys.schedule(recipe), 'lastSync', JSON.stringify(outcome));
  }

  /** Records the last sync as failed with `reason` when it still waits on task `taskId` (a later sync's outcome stays); true when it did. */
  async failWaiting(recipe: string, taskId: string, reason: string): Promise<boolean> {
    return (await this.redis.eval(FAIL_WAITING, 1, this.keys.schedule(recipe), taskId, new Date().toISOString(), reason)) === 1;
  }
}
