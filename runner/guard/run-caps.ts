/**
 * Politeness per system: a bot may cap the runs that start against its system in any minute
 * (`maxRunsPerMinute`), across all workers. Starts are kept in Redis as a sliding window (a
 * sorted set of the last minute's starts per bot); a run that would go over waits, delayed
 * until the oldest start leaves the window, without spending an attempt.
 */
import type { Redis } from 'ioredis';
import type { Bot } from '../define/bot.ts';
import type { RedisKeys } from '../redis/keys.ts';

const WINDOW_MS = 60_000;

/**
 * Takes one start on every capped bot at once, or none (KEYS: each bot's starts; ARGV: now,
 * window, member, then each bot's cap). Returns 0 when taken, else the ms until a start frees up.
 */
const TAKE_STARTS = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window * 2)
end
return 0`;

export class RunCaps {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  /** Takes a start of `attempt` (a run id and attempt) on each of the capped `bots`; resolves with 0, or the ms to wait. */
  async take(bots: Pick<Bot<unknown>, 'id' | 'maxRunsPerMinute'>[], attempt: string, now = Date.now()): Promise<number> {
    const capped = bots.filter((bot) => bot.maxRunsPerMinute);
    if (capped.length === 0) return 0;
    return Number(await this.redis.eval(
      TAKE_STARTS, capped.length, ...capped.map((bot) => this.keys.runStarts(bot.id)), now, WINDOW_MS, attempt, ...capped.map((bot) => bot.maxRunsPerMinute!),
    ));
  }

  /** Runs started against the bot in the last minute. */
  async lastMinute(bot: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.keys.runStarts(bot), now - WINDOW_MS, '+inf');
  }
}
