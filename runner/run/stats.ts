/**
 * Per-recipe, per-day outcome counters (Asia/Shanghai days) behind success rates,
 * records moved and hours saved.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import type { RunOutcome } from './types.ts';

export type OutcomeCounter = 'entered' | 'alreadyPresent' | 'rejected' | 'needsReview' | 'failed';
export const OUTCOME_COUNTERS: OutcomeCounter[] = ['entered', 'alreadyPresent', 'rejected', 'needsReview', 'failed'];

/** The counter an outcome adds to. */
export function counterOf(outcome: RunOutcome): OutcomeCounter {
  switch (outcome.state) {
    case 'DONE': return outcome.created ? 'entered' : 'alreadyPresent';
    case 'REJECTED': return 'rejected';
    case 'NEEDS_REVIEW': return 'needsReview';
    default: return 'failed';
  }
}

/** `YYYY-MM-DD` of a moment in the given time zone. */
export function dayOf(at: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export class RunStats {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  async record(recipe: string, outcome: RunOutcome, at = new Date()): Promise<void> {
    const key = this.keys.dailyStats(recipe, dayOf(at));
    await this.redis.multi().hincrby(key, counterOf(outcome), 1).expire(key, 400 * 86_400).exec();
  }

  /** Counters of one recipe on one day. */
  async day(recipe: string, day: string): Promise<Record<OutcomeCounter, number>> {
    const raw = await this.redis.hgetall(this.keys.dailyStats(recipe, day));
    return Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, Number(raw[name] ?? 0)])) as Record<OutcomeCounter, number>;
  }
}
