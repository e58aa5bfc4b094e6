/** A real redis-server for a test file, in its own temporary directory; it can be killed and restarted. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RedisServer } from '../../runner/redis/redis-server.ts';

export interface TestRedis {
  /** Its URL, password included: pass it as REDIS_URL or to `connectRedis`. */
  url: string;
  dir: string;
  /** SIGKILLs the server: no shutdown, only what its AOF already holds survives. */
  kill(): Promise<void>;
  /** Starts the server again on the same socket and dir; it reloads its AOF. */
  restart(): Promise<void>;
  /** SIGSTOPs the server: connections stay open but nothing answers, as on a cut network. */
  freeze(): void;
  /** SIGCONTs a frozen server. */
  thaw(): void;
}

/** A server configured like the embedded one (socket, password, AOF), but never restarted on its own. */
export function useRedis(): () => TestRedis {
  let server: RedisServer | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-redis-'));
    server = await RedisServer.start(join(dir, 'redis'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!server) throw new Error('redis not started');
    const running = server;
    return {
      url: running.url, dir, kill: () => running.kill(), restart: () => running.restart(),
      freeze: () => process.kill(running.pid, 'SIGSTOP'), thaw: () => process.kill(running.pid, 'SIGCONT'),
    };
  };
}
