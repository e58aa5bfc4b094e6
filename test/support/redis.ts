/** A real redis-server for a test file, in its own temporary directory; it can be killed and restarted. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { spawnRedisServer, startEmbeddedRedis, type EmbeddedRedis } from '../../runner/redis/embedded-redis.ts';

export interface TestRedis {
  url: string;
  dir: string;
  /** SIGKILLs the server: no shutdown, only what its AOF already holds survives. */
  kill(): void;
  /** Starts the server again on the same port and dir; it reloads its AOF. */
  restart(): Promise<void>;
}

export function useRedis(): () => TestRedis {
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
    const serverDir = join(dir, 'redis');
    return {
      url: redis.url,
      dir,
      kill: () => process.kill(Number(readFileSync(join(serverDir, 'redis.pid'), 'utf8')), 'SIGKILL'),
      restart: async () => void (await spawnRedisServer(serverDir, Number(new URL(redis!.url).port))),
    };
  };
}
