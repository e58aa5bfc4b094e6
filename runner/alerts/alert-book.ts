/**
 * Which alerts are firing, per (rule, subject), in Redis: a condition seen for the first time
 * is told; one still there after its rule's re-notify interval is told again; one gone is told
 * "resolved" and forgotten. Only one scheduler keeps the book at a time (see `alert-round.ts`).
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import type { AlertCondition, AlertMessage, AlertRule } from './alert.ts';

interface Firing {
  since: number;
  sentAt: number;
  condition: AlertCondition;
}

/** A change to tell: a condition firing (first or again), or one resolved. */
export interface AlertChange {
  condition: AlertCondition;
  state: AlertMessage['state'];
  since: number;
}

/** `renotifyMs` per rule; `watched` the rules evaluated this round (firing alerts of other rules are dropped silently: their rule was switched off). */
export interface Reconciling {
  renotifyMs: Record<AlertRule, number>;
  watched: readonly AlertRule[];
  now?: number;
}

const fieldOf = (condition: Pick<AlertCondition, 'rule' | 'subject'>) => `${condition.rule} ${condition.subject}`;

export class AlertBook {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  /** Brings the book in line with the conditions true now; resolves with what to tell. */
  async reconcile(conditions: AlertCondition[], options: Reconciling): Promise<AlertChange[]> {
    const now = options.now ?? Date.now();
    const book = Object.fromEntries(Object.entries(await this.redis.hgetall(this.keys.alertsFiring())).map(([field, json]) => [field, JSON.parse(json) as Firing]));
    const changes: AlertChange[] = [];
    const writes: Record<string, string> = {};
    const current = new Set<string>();
    for (const condition of conditions) {
      const field = fieldOf(condition);
      current.add(field);
      const firing = book[field];
      const due = !firing || now - firing.sentAt >= options.renotifyMs[condition.rule];
      if (due) changes.push({ condition, state: 'firing', since: firing?.since ?? now });
      writes[field] = JSON.stringify({ since: firing?.since ?? now, sentAt: due ? now : firing.sentAt, condition } satisfies Firing);
    }
    const gone = Object.entries(book).filter(([field]) => !current.has(field));
    for (const [, firing] of gone) {
      if (options.watched.includes(firing.condition.rule)) changes.push({ condition: firing.condition, state: 'resolved', since: firing.since });
    }
    const pipeline = this.redis.pipeline();
    if (Object.keys(writes).length) pipeline.hset(this.keys.alertsFiring(), writes);
    if (gone.length) pipeline.hdel(this.keys.alertsFiring(), ...gone.map(([field]) => field));
    await pipeline.exec();
    return changes;
  }

  /** The alerts firing now, oldest first, for the admin page and `ferry alerts`. */
  async firing(): Promise<(AlertCondition & { since: number })[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.alertsFiring())).map((json) => JSON.parse(json) as Firing);
    return all.sort((a, b) => a.since - b.since).map((firing) => ({ ...firing.condition, since: firing.since }));
  }
}
