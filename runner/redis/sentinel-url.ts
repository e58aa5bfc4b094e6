/**
 * The Sentinel form of a Redis URL: a primary found through Sentinel, in one string that flows
 * like any other `REDIS_URL`:
 *
 * `redis+sentinel://[user[:password]@]host:port[,host:port…]/<master name>[/db][?sentinelPassword=…]`
 *
 * The user and password are the data nodes' (primary and replicas); `sentinelPassword` is the
 * sentinels' own, when they ask for one. `REDIS_SENTINELS` and `REDIS_SENTINEL_NAME` build it
 * (see `config.ts`). WHATWG `URL` cannot hold a list of hosts, so this form is parsed by hand.
 */
import type { RedisOptions } from 'ioredis';

/** The scheme of a Sentinel URL. */
export const SENTINEL_SCHEME = 'redis+sentinel:';

/** A parsed Sentinel URL. */
export interface SentinelUrl {
  sentinels: { host: string; port: number }[];
  /** The master name the sentinels monitor (`sentinel monitor <name> …`). */
  name: string;
  username?: string;
  password?: string;
  db?: number;
  sentinelPassword?: string;
}

const FORM = 'redis+sentinel://[user:password@]host:port[,host:port…]/<master name>[/db]';
const PATTERN = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?@]+)\/([^/?]+)(?:\/(\d+))?\/?(?:\?(.*))?$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:,\s[\]]+):(\d{1,5})$/;

/** True when `url` uses the Sentinel scheme. */
export function isSentinelUrl(url: string): boolean {
  return url.startsWith(`${SENTINEL_SCHEME}//`);
}

/** Parses a Sentinel URL; throws an Error saying what is wrong and what the form is. */
export function parseSentinelUrl(url: string): SentinelUrl {
  const match = PATTERN.exec(url);
  if (!match) throw new Error(`is not a Sentinel URL of the form ${FORM}`);
  const [, user, password, hosts, name, db, query] = match;
  const sentinels = hosts.split(',').map((each) => {
    const hostPort = HOST_PORT.exec(each.trim());
    const port = Number(hostPort?.[2]);
    if (!hostPort || port < 1 || port > 65535) throw new Error(`names the sentinel "${each}", which is not host:port (the form is ${FORM})`);
    return { host: hostPort[1].replace(/^\[|\]$/g, ''), port };
  });
  const params = new URLSearchParams(query ?? '');
  return {
    sentinels, name: decodeURIComponent(name),
    username: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    db: db === undefined ? undefined : Number(db),
    sentinelPassword: params.get('sentinelPassword') || undefined,
  };
}

/** Builds the URL from `REDIS_SENTINELS` (host:port,…), the master name and an optional password of the data nodes. */
export function sentinelUrlOf(sentinels: string, name: string, password?: string): string {
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  return `${SENTINEL_SCHEME}//${auth}${sentinels.split(',').map((each) => each.trim()).join(',')}/${encodeURIComponent(name)}`;
}

/** The URL with its passwords replaced by `***`. */
export function describeSentinelUrl(url: string): string {
  return url.replace(/^(redis\+sentinel:\/\/[^:@/]*:)[^@/]*@/, '$1***@').replace(/([?&]sentinelPassword=)[^&]*/, '$1***');
}

/**
 * ioredis options for a primary found through Sentinel. After a fail-over the old primary
 * (now a replica) answers writes with READONLY: the connection then reconnects, asks the
 * sentinels again and resends the command to the new primary. `failoverDetector` makes ioredis
 * follow the sentinels' `+switch-master` at once instead of waiting for an error.
 */
export function sentinelOptions(url: string): RedisOptions {
  const parsed = parseSentinelUrl(url);
  return {
    sentinels: parsed.sentinels, name: parsed.name, username: parsed.username, password: parsed.password, db: parsed.db,
    sentinelPassword: parsed.sentinelPassword, failoverDetector: true, enableTLSForSentinelMode: false,
    sentinelRetryStrategy: (times) => Math.min(times * 200, 2000),
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}
