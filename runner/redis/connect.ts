/**
 * Folder `runner/redis/`: the state store: where Redis is (`redis-url.ts`, `sentinel-url.ts`), connections,
 * the embedded redis-server and its supervision, the durability and replicas checks, every key name,
 * and how long what people look back on is kept (`retention.ts`).
 *
 * Redis connections. Each carries the client name `ferry-<pid>` so the embedded server
 * knows which Ferry processes still use it. BullMQ needs `maxRetriesPerRequest: null`.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { describeRedisUrl, redisOptions } from './redis-url.ts';

/** Raised when Redis does not answer within the time a command is willing to wait. */
export class RedisUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnreachableError';
  }
}

/** The options every Ferry connection starts from: reconnect forever, commands wait while Redis is away. */
function ferryOptions(url: string): RedisOptions {
  return {
    ...redisOptions(url),
    maxRetriesPerRequest: null,
    connectionName: `ferry-${process.pid}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

/**
 * A connection that does not give up for good. ioredis ends a connection (status `end`, every
 * command "Connection is closed.") when it is told to reconnect while it is still connecting:
 * its connector then throws instead of retrying. After a Sentinel fail-over a READONLY reply
 * or the sentinels' `+switch-master` does exactly that, and BullMQ never opens the connection
 * again, so a worker would take no more runs. This one opens itself again at once (a second
 * time within a second, after a second). One closed on purpose (`disconnect()`, `QUIT`) stays
 * closed, as does one whose retry strategy gave up after it closed. Its duplicates, BullMQ's
 * blocking connections among them, are of this kind too.
 */
class LastingRedis extends Redis {
  private closedOnPurpose = false;
  private closedSinceConnecting = false;
  private lastReopened = 0;

  constructor(options: RedisOptions) {
    super(options);
    this.on('connecting', () => (this.closedSinceConnecting = false));
    this.on('close', () => (this.closedSinceConnecting = true));
    this.on('end', () => this.reopenUnlessMeant());
  }

  private reopenUnlessMeant(): void {
    if (this.closedOnPurpose || this.closedSinceConnecting) return;
    const reopen = () => {
      if (this.status === 'end' && !this.closedOnPurpose) this.connect().catch(() => {});
    };
    const soon = Date.now() - this.lastReopened < 1000;
    this.lastReopened = Date.now();
    if (soon) setTimeout(reopen, 1000).unref();
    else reopen();
  }

  override disconnect(reconnect = false): void {
    if (!reconnect) this.closedOnPurpose = true;
    super.disconnect(reconnect);
  }

  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    if (args[0].name === 'quit') this.closedOnPurpose = true;
    return super.sendCommand(...args);
  }

  override duplicate(override: Partial<RedisOptions> = {}): Redis {
    return new LastingRedis({ ...this.options, ...override });
  }
}

/**
 * Opens a connection suited to BullMQ workers and the ledger: it reconnects forever, commands
 * wait (queued) while Redis is away, and it never ends unless closed (see {@link LastingRedis}).
 * `overrides` adjust ioredis options.
 */
export function connectRedis(url: string, overrides: RedisOptions = {}): Redis {
  return new LastingRedis({ ...ferryOptions(url), ...overrides });
}

/** Opens a connection that tries once: for probes that must not hang. */
export function probeRedis(url: string, timeoutMs: number): Redis {
  const client = new Redis({ ...ferryOptions(url), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs });
  client.on('error', () => {});
  return client;
}

/** Connects once and PINGs; throws the real cause (`connect ECONNREFUSED …`, `WRONGPASS …`) when Redis does not answer. */
export async function pingOnce(url: string, timeoutMs: number): Promise<void> {
  const client = probeRedis(url, timeoutMs);
  let cause: Error | undefined;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    client.disconnect();
  }
}

/** True when a Redis at `url` answers PING within a second. */
export async function answersPing(url: string): Promise<boolean> {
  return pingOnce(url, 1000).then(() => true, () => false);
}

/** Options of {@link waitForRedis}. */
export interface WaitForRedisOptions {
  /** How long to keep trying before giving up. @defaultValue 5000 */
  patienceMs?: number;
  /** Called after each failed attempt but the last. */
  onRetry?: (message: string) => void;
}

/**
 * Waits for a first successful PING. While Redis is down it says so through `onRetry` and
 * tries again; after `patienceMs` it throws {@link RedisUnreachableError}.
 */
export async function waitForRedis(url: string, options: WaitForRedisOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.patienceMs ?? 5000);
  const where = describeRedisUrl(url);
  for (let attempt = 1; ; attempt++) {
    try {
      return await pingOnce(url, Math.max(200, Math.min(2000, deadline - Date.now())));
    } catch (error) {
      const reason = `Redis at ${where} is not reachable (${(error as Error).message})`;
      const pause = Math.min(500 * attempt, 2000);
      if (Date.now() + pause >= deadline) {
        throw new RedisUnreachableError(`${reason}. Start it, check REDIS_URL, or unset REDIS_URL to use the embedded one.`);
      }
      options.onRetry?.(`${reason}; attempt ${attempt}, trying again`);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
