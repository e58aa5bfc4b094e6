/**
 * The embedded default: a private {@link RedisServer} under `<dataDir>/redis`. A second
 * Ferry process on the same data dir finds it through its socket and password file and
 * reuses it. The process that started it restarts it from its AOF when it dies.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { answersPing, probeRedis } from './connect.ts';
import { unixSocketUrl } from './redis-url.ts';
import { RedisServer, redisPassword, redisSocketPath } from './redis-server.ts';

export { RedisStartError } from './redis-server.ts';

/** A running embedded Redis. */
export interface EmbeddedRedis {
  /** Its URL, password included (see `redis-url.ts`). */
  url: string;
  /** True when this process started it (and so restarts and stops it). */
  owned: boolean;
  /** Stops the server when this process owns it and no other Ferry process is connected. */
  stop(): Promise<void>;
}

/** Options of {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** @defaultValue 'redis-server' */
  redisServer?: string;
  /** Told when the server died and when it is back, for the person watching (stderr). */
  onNotice?: (message: string) => void;
}

/** How often a restart after a crash is tried before giving up. */
const RESTART_ATTEMPTS = 5;

/** True when Ferry processes other than this one are connected to the Redis at `url`. */
async function othersConnected(url: string): Promise<boolean> {
  const client = probeRedis(url, 1000);
  try {
    await client.connect();
    const clients = (await client.client('LIST')) as string;
    return clients.split('\n').some((line) => /name=ferry-\d+/.test(line) && !line.includes(`name=ferry-${process.pid} `));
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** The directory of the embedded Redis of `dataDir`. */
export function embeddedRedisDir(dataDir: string): string {
  return join(dataDir, 'redis');
}

/** The URL of the embedded Redis of `dataDir` when one has been set up there (running or not). */
export function embeddedRedisUrl(dataDir: string): string | undefined {
  const dir = embeddedRedisDir(dataDir);
  if (!existsSync(join(dir, 'password'))) return undefined;
  return unixSocketUrl(redisSocketPath(dir), redisPassword(dir));
}

/** Starts (or reuses) the embedded Redis for `dataDir`. */
export async function startEmbeddedRedis(dataDir: string, options: EmbeddedRedisOptions = {}): Promise<EmbeddedRedis> {
  const dir = embeddedRedisDir(dataDir);
  const notice = options.onNotice ?? (() => {});
  const existing = embeddedRedisUrl(dataDir);
  if (existing && await answersPing(existing)) return { url: existing, owned: false, stop: async () => {} };
  let stopping = false;
  const restart = async (exit: { pid: number; signal: NodeJS.Signals | null; code: number | null }) => {
    notice(`ferry: the embedded Redis (pid ${exit.pid}) stopped (${exit.signal ?? `exit code ${exit.code}`}); restarting it from its AOF in ${dir}`);
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++) {
      try {
        await server.restart();
        notice(`ferry: the embedded Redis is back (pid ${server.pid}); connections resume`);
        if (stopping) await server.stop();
        return;
      } catch (error) {
        notice(`ferry: the embedded Redis did not restart (${(error as Error).message}); attempt ${attempt} of ${RESTART_ATTEMPTS}`);
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
  };
  const server = await RedisServer.start(dir, { redisServer: options.redisServer, onCrash: (exit) => void restart(exit) });
  const stop = async () => {
    if (await othersConnected(server.url)) return;
    stopping = true;
    await server.stop();
  };
  return { url: server.url, owned: true, stop };
}
