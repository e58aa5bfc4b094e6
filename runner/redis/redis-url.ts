/**
 * Where a Redis is: one URL string that flows through the config, the runtime, tests and
 * child processes (as `REDIS_URL`). Four forms:
 * - `redis://[user[:password]@]host[:port][/db]`
 * - `rediss://…` the same over TLS
 * - `unix:///path/to/redis.sock[?username=…&password=…&db=…]` a unix socket (the embedded one)
 * - `redis+sentinel://[user[:password]@]host:port,…/<master name>[/db]` a primary found through Sentinel (`sentinel-url.ts`)
 *
 * Anything shown to a person goes through {@link describeRedisUrl}, which hides the password.
 */
import type { RedisOptions } from 'ioredis';
import { describeSentinelUrl, isSentinelUrl, parseSentinelUrl, SENTINEL_SCHEME, sentinelOptions } from './sentinel-url.ts';

/** The URL schemes `REDIS_URL` accepts. */
export const REDIS_URL_SCHEMES = ['redis:', 'rediss:', 'unix:', SENTINEL_SCHEME] as const;

/** What a Redis URL says about the connection, without the password itself. */
export interface RedisUrlFacts {
  transport: 'tcp' | 'tls' | 'unix' | 'sentinel';
  /** `host:port`, the socket path, or `<master name> via host:port,…` (the sentinels). */
  address: string;
  /** The ACL user name, when one is given (else Redis's `default` user). */
  username?: string;
  /** True when the URL carries a password. */
  hasPassword: boolean;
}

/** Why a string is not a usable Redis URL, or undefined when it is. */
export function redisUrlProblem(url: string): string | undefined {
  if (isSentinelUrl(url)) {
    try {
      parseSentinelUrl(url);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL; use redis://host:port, rediss://host:port (TLS), unix:///path/to/redis.sock or redis+sentinel://host:port,…/<master name>';
  }
  if (!(REDIS_URL_SCHEMES as readonly string[]).includes(parsed.protocol)) {
    return `has scheme ${parsed.protocol} but must start with redis://, rediss:// (TLS), unix:// or redis+sentinel://`;
  }
  if (parsed.protocol === 'unix:' && !parsed.pathname.startsWith('/')) return 'needs an absolute socket path: unix:///path/to/redis.sock';
  if (parsed.protocol !== 'unix:' && !parsed.hostname) return 'needs a host: redis://host:port';
  return undefined;
}

/** The facts of a Redis URL (which Redis, how it authenticates, TLS or not). */
export function redisUrlFacts(url: string): RedisUrlFacts {
  if (isSentinelUrl(url)) {
    const sentinel = parseSentinelUrl(url);
    const hosts = sentinel.sentinels.map(({ host, port }) => `${host}:${port}`).join(',');
    return { transport: 'sentinel', address: `${sentinel.name} via ${hosts}`, username: sentinel.username, hasPassword: Boolean(sentinel.password) };
  }
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') {
    return {
      transport: 'unix', address: decodeURIComponent(parsed.pathname),
      username: parsed.searchParams.get('username') || undefined, hasPassword: Boolean(parsed.searchParams.get('password')),
    };
  }
  return {
    transport: parsed.protocol === 'rediss:' ? 'tls' : 'tcp',
    address: `${parsed.hostname}:${parsed.port || 6379}`,
    username: decodeURIComponent(parsed.username) || undefined,
    hasPassword: Boolean(parsed.password),
  };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function describeRedisUrl(url: string): string {
  if (isSentinelUrl(url)) return describeSentinelUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an unparsable REDIS_URL)';
  }
  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}

/** The URL of a unix socket with a password, as the embedded Redis hands it out. */
export function unixSocketUrl(socketPath: string, password: string): string {
  return `unix://${encodeURI(socketPath)}?${new URLSearchParams({ password })}`;
}

/** The ioredis options that connect to `url`. */
export function redisOptions(url: string): RedisOptions {
  if (isSentinelUrl(url)) return sentinelOptions(url);
  const parsed = new URL(url);
  const db = (value: string | null) => (value ? Number(value) : undefined);
  if (parsed.protocol === 'unix:') {
    const query = parsed.searchParams;
    return {
      path: decodeURIComponent(parsed.pathname),
      username: query.get('username') || undefined,
      password: query.get('password') || undefined,
      db: db(query.get('db')),
    };
  }
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 6379),
    username: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    db: db(parsed.pathname.slice(1)),
    tls: parsed.protocol === 'rediss:' ? { servername: parsed.hostname } : undefined,
  };
}
