/**
 * The per-system session cap (`maxSessions`), held across every worker process in
 * Redis: a sorted set of slot holders scored by lease expiry, taken atomically in Lua.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';

const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
  return 1
end
return 0
`;

/** Options of {@link SessionSlots}. */
export interface SessionSlotsOptions {
  /** A slot lapses unless renewed within this time (a dead worker's slots free themselves). @defaultValue 30000 */
  leaseMs?: number;
}

/** Distributed counting semaphore of logged-in sessions per bot. */
export class SessionSlots {
  readonly leaseMs: number;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, options: SessionSlotsOptions = {}) {
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Takes (or renews) `holder`'s slot for `bot`; false when `max` are taken. */
  async take(bot: string, holder: string, max: number): Promise<boolean> {
    return (await this.redis.eval(TAKE, 1, this.keys.sessionSlots(bot), Date.now(), this.leaseMs, holder, max)) === 1;
  }

  async release(bot: string, holder: string): Promise<void> {
    await this.redis.zrem(this.keys.sessionSlots(bot), holder);
  }

  /** Holders of live slots for a bot. */
  async holders(bot: string): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.sessionSlots(bot), Date.now(), '+inf');
  }
}
