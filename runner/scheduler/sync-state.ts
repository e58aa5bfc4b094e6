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
  state: 'done' | 'failed';
  since?: string;
  listed?: number;
  skipped?: number;
  runs?: number;
  reason?: string;
}

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
}
