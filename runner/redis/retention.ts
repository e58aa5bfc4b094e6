/**
 * How long Ferry keeps what people look back on (run records and timelines, batches, closed
 * questions), and the time-ordered indexes that list them: each index drops the members older
 * than the retention whenever one is added, and expires itself when nothing was added for that
 * long, so no index outgrows the records it lists.
 */
import type { ChainableCommander } from 'ioredis';

const DAY_SECONDS = 86_400;

/** `FERRY_RECORD_RETENTION_DAYS` in seconds, for `EXPIRE`. */
export function retentionSeconds(days: number): number {
  return days * DAY_SECONDS;
}

/**
 * Queues on `multi`: adds `member` at `atMs` to the index `key` (a sorted set scored in
 * milliseconds), removes the members scored more than `keepSeconds` before `atMs`, and sets the
 * index to expire `keepSeconds` from now.
 */
export function addToTimedIndex(multi: ChainableCommander, key: string, member: string, atMs: number, keepSeconds: number): ChainableCommander {
  return multi
    .zadd(key, atMs, member)
    .zremrangebyscore(key, '-inf', `(${atMs - keepSeconds * 1000}`)
    .expire(key, keepSeconds);
}
