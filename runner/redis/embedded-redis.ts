/**
 * The embedded default: a private `redis-server` child with AOF under the data dir.
 * A second Ferry process on the same data dir finds it through `redis.port` and reuses it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A running embedded Redis. */
export interface EmbeddedRedis {
  url: string;
  /** True when this process started it (and so stops it). */
  owned: boolean;
  /** Stops the server when this process owns it and no other Ferry process is connected. */
  stop(): Promise<void>;
}

/** Raised when redis-server is missing or will not start. */
export class RedisStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisStartError';
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis at `url` answers PING within a second. */
export async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** The redis.conf Ferry's embedded server runs with. */
export function redisConfig(dir: string, port: number): string {
  return [
    'bind 127.0.0.1',
    `port ${port}`,
    `dir ${dir}`,
    'appendonly yes',
    'appendfsync always',
    'maxmemory-policy noeviction',
    'save ""',
    'daemonize no',
    'protected-mode yes',
    `pidfile ${join(dir, 'redis.pid')}`,
  ].join('\n');
}

/**
 * Starts `redis-server` with {@link redisConfig} in `dir` on `port` and waits until it answers.
 * Started again on the same dir and port, it reloads its AOF: the same data at the same URL.
 */
export async function spawnRedisServer(dir: string, port: number, redisServer = 'redis-server'): Promise<ChildProcess> {
  writeFileSync(join(dir, 'redis.conf'), redisConfig(dir, port));
  // Its own process group: a terminal's Ctrl-C reaches Ferry, which stops the server after the runs in flight.
  const child = spawn(redisServer, [join(dir, 'redis.conf')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new RedisStartError(`redis-server could not start (${error.message}). Install it with \`apt-get install redis-server\` or set REDIS_URL.`)));
    child.once('exit', (code) => reject(new RedisStartError(`redis-server exited with code ${code}: ${stderr.trim()}`)));
  });
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (await answersPing(url)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new RedisStartError(`redis-server did not answer on ${url}`);
  })();
  await Promise.race([ready, spawnFailed]);
  spawnFailed.catch(() => {});
  return child;
}

/** Starts (or reuses) the embedded Redis for `dataDir`. */
export async function startEmbeddedRedis(dataDir: string, redisServer = 'redis-server'): Promise<EmbeddedRedis> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const portFile = join(dir, 'redis.port');
  if (existsSync(portFile)) {
    const url = `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    if (await answersPing(url)) return { url, owned: false, stop: async () => {} };
  }
  const port = await freePort();
  const child = await spawnRedisServer(dir, port, redisServer);
  const url = `redis://127.0.0.1:${port}`;
  writeFileSync(portFile, String(port));
  const stop = async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    client.on('error', () => {});
    try {
      await client.connect();
      const others = (await client.client('LIST') as string).split('\n')
        .filter((line) => /name=ferry-\d+/.test(line) && !line.includes(`name=ferry-${process.pid}`));
      if (others.length > 0) return;
      rmSync(portFile, { force: true });
      await client.call('SHUTDOWN').catch(() => {});
    } catch {
      child.kill('SIGTERM');
    } finally {
      client.disconnect();
    }
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  };
  return { url, owned: true, stop };
}
