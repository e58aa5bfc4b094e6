/**
 * Batches in Redis: a batch's record (who uploaded which file for which recipe, the counts,
 * the bad rows with their reasons, the good rows' key ids) in the clear, since it holds no
 * personal data, and the file's cells and the good rows' inputs sealed with the secret key.
 * Kept `FERRY_RECORD_RETENTION_DAYS` (90), as the run history is.
 */
import type { Redis } from 'ioredis';
import type { SecretBox } from '../access/secrets.ts';
import type { RedisKeys } from '../redis/keys.ts';
import { addToTimedIndex, retentionSeconds } from '../redis/retention.ts';
import type { TriggerIdentity } from '../run/types.ts';
import type { BadRow } from './check-rows.ts';

/** Where a batch came from. */
export type BatchSource = 'dashboard' | 'cli' | 'drop-folder';

/** A batch as people see it. */
export interface Batch {
  id: string;
  recipe: string;
  /** Who uploaded it; they and ops see it. */
  by: TriggerIdentity;
  source: BatchSource;
  fileName: string;
  /** When it was uploaded (ms). */
  createdAt: number;
  /** `checked` until someone queues its good rows; then `queued`. */
  state: 'checked' | 'queued';
  queuedAt?: number;
  /** Data rows in the file (template rows aside). */
  rows: number;
  bad: BadRow[];
  /** The template's description row, when the file still held it and it was skipped. */
  skipped: number;
  /** The good rows: sheet row number and the run's key id. */
  good: { row: number; keyId: string }[];
}

/** The file's cells as uploaded (dates as `YYYY-MM-DD`), for the result workbook. */
export interface BatchCells {
  headers: string[];
  rows: { number: number; cells: (string | number | boolean | null)[] }[];
}

export class BatchStore {
  private readonly keepSeconds: number;

  /** `retentionDays`: `FERRY_RECORD_RETENTION_DAYS`. */
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly secrets: SecretBox, retentionDays: number) {
    this.keepSeconds = retentionSeconds(retentionDays);
  }

  /** Stores a checked batch with its sealed cells and inputs. */
  async create(batch: Batch, cells: BatchCells, inputs: unknown[]): Promise<void> {
    const multi = this.redis.multi()
      .hset(this.keys.batch(batch.id), this.fields(batch))
      .hset(this.keys.batchContent(batch.id), {
        table: this.secrets.seal(JSON.stringify(cells)),
        inputs: this.secrets.seal(JSON.stringify(inputs)),
      })
      .expire(this.keys.batch(batch.id), this.keepSeconds)
      .expire(this.keys.batchContent(batch.id), this.keepSeconds);
    await addToTimedIndex(multi, this.keys.batchIndex(), batch.id, batch.createdAt, this.keepSeconds).exec();
  }

  async get(id: string): Promise<Batch | null> {
    if (!/^[a-z0-9-]{1,40}$/.test(id)) return null;
    const hash = await this.redis.hgetall(this.keys.batch(id));
    if (!hash.id) return null;
    return {
      id: hash.id, recipe: hash.recipe, by: hash.by as TriggerIdentity, source: hash.source as BatchSource, fileName: hash.fileName,
      createdAt: Number(hash.createdAt), state: hash.state as Batch['state'], ...(hash.queuedAt ? { queuedAt: Number(hash.queuedAt) } : {}),
      rows: Number(hash.rows), skipped: Number(hash.skipped), bad: JSON.parse(hash.bad), good: JSON.parse(hash.good),
    };
  }

  /**
   * Marks the batch queued; true for the one caller that did, false when it already was
   * (a double click, a second scheduler), so its rows are fanned out by one caller.
   */
  async markQueued(id: string, at: number): Promise<boolean> {
    const marked = await this.redis.eval(
      "if redis.call('hget', KEYS[1], 'state') == 'checked' then redis.call('hset', KEYS[1], 'state', 'queued', 'queuedAt', ARGV[1]) return 1 end return 0",
      1, this.keys.batch(id), String(at),
    );
    return marked === 1;
  }

  /** Puts a batch back to `checked` when fanning out its rows failed, so it can be queued again. */
  async unmarkQueued(id: string): Promise<void> {
    await this.redis.hset(this.keys.batch(id), 'state', 'checked');
    await this.redis.hdel(this.keys.batch(id), 'queuedAt');
  }

  /** Batch ids, newest first. */
  async recent(limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.batchIndex(), 0, limit - 1);
  }

  async cells(id: string): Promise<BatchCells> {
    return JSON.parse(this.secrets.open(await this.content(id, 'table'))) as BatchCells;
  }

  async inputs(id: string): Promise<unknown[]> {
    return JSON.parse(this.secrets.open(await this.content(id, 'inputs'))) as unknown[];
  }

  private async content(id: string, field: 'table' | 'inputs'): Promise<string> {
    const sealed = await this.redis.hget(this.keys.batchContent(id), field);
    if (!sealed) throw new Error(`batch ${id} has expired`);
    return sealed;
  }

  private fields(batch: Batch): Record<string, string | number> {
    return {
      id: batch.id, recipe: batch.recipe, by: batch.by, source: batch.source, fileName: batch.fileName,
      createdAt: batch.createdAt, state: batch.state, rows: batch.rows, skipped: batch.skipped,
      bad: JSON.stringify(batch.bad), good: JSON.stringify(batch.good),
    };
  }
}
