/**
 * Every Redis key Ferry uses, in one place. All keys share the hash tag `{namespace}`
 * so they live in one Redis Cluster slot alongside the BullMQ queues (same prefix).
 */
export class RedisKeys {
  /** The BullMQ prefix and the head of every key: `{ferry}`. */
  readonly prefix: string;

  constructor(readonly namespace: string) {
    this.prefix = `{${namespace}}`;
  }

  ledgerEntry(recipe: string, keyId: string): string {
    return `${this.prefix}:ledger:${recipe}:${keyId}`;
  }

  /** Per-recipe count of ledger entries by state. */
  ledgerCounts(recipe: string): string {
    return `${this.prefix}:ledger-counts:${recipe}`;
  }

  /** Per-recipe sorted set of key ids by last change, for listing. */
  ledgerIndex(recipe: string): string {
    return `${this.prefix}:ledger-index:${recipe}`;
  }

  sessionSlots(bot: string): string {
    return `${this.prefix}:sessions:${bot}`;
  }

  credentials(bot: string): string {
    return `${this.prefix}:credentials:${bot}`;
  }

  /** Per-recipe per-day outcome counters (`YYYY-MM-DD`). */
  dailyStats(recipe: string, day: string): string {
    return `${this.prefix}:stats:${recipe}:${day}`;
  }

  workers(): string {
    return `${this.prefix}:workers`;
  }
}
