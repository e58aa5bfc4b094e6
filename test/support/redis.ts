/** A real redis-server for a test file, in its own temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../runner/redis/embedded-redis.ts';

export function useRedis(): () => { url: string; dir: string } {
  let redis: EmbeddedRedis | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-redis-'));
    redis = await startEmbeddedRedis(dir);
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!redis) throw new Error('redis not started');
    return { url: redis.url, dir };
  };
}
