/**
 * Folder `runner/redis/`: the state store: connections, the embedded redis-server, and every
 * key name.
 *
 * Redis connections. Each carries the client name `ferry-<pid>` so the embedded server
 * knows which Ferry processes still use it. BullMQ needs `maxRetriesPerRequest: null`.
 */
import { Redis } from 'ioredis';

/** Opens a connection suited to BullMQ workers and the ledger: it reconnects forever. */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: `ferry-${process.pid}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** Waits for a first successful PING, retrying with a clear message when Redis is down. */
export async function waitForRedis(url: string, options: { attempts?: number; onRetry?: (message: string) => void } = {}): Promise<void> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      const message = `Redis at ${url} is not reachable (${(error as Error).message}); attempt ${attempt} of ${attempts}`;
      if (attempt >= attempts) throw new Error(`${message}. Start Redis or unset REDIS_URL to use the embedded one.`);
      options.onRetry?.(message);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 3000)));
    } finally {
      client.disconnect();
    }
  }
}
