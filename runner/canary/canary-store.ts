/**
 * Canary reports and baselines in Redis: the last report per bot (what the overview and
 * `ferry status` show), and what each locator resolved to when it last passed (what a later
 * failure's suggestions are scored against).
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import type { CanaryReport } from './canary.ts';
import type { Fingerprint } from './suggest.ts';

/** Reports and baselines of every bot's canaries. */
export class CanaryStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  /** Stores a report; locators that resolved replace their baseline, and the others keep their last good one. */
  async save(report: CanaryReport, resolved: Map<string, Fingerprint>): Promise<void> {
    const multi = this.redis.multi().set(this.keys.canaryReport(report.bot), JSON.stringify(report));
    if (resolved.size) multi.hset(this.keys.canaryBaseline(report.bot), Object.fromEntries([...resolved].map(([key, value]) => [key, JSON.stringify(value)])));
    await multi.exec();
  }

  /** The last report of a bot, if its canaries ever ran. */
  async report(bot: string): Promise<CanaryReport | null> {
    const json = await this.redis.get(this.keys.canaryReport(bot));
    return json ? (JSON.parse(json) as CanaryReport) : null;
  }

  /** What each locator of a bot resolved to when it last passed. */
  async baseline(bot: string): Promise<Map<string, Fingerprint>> {
    const entries = await this.redis.hgetall(this.keys.canaryBaseline(bot));
    return new Map(Object.entries(entries).map(([key, value]) => [key, JSON.parse(value) as Fingerprint]));
  }
}
