/**
 * The start-up check of a Redis with replicas (`FERRY_REDIS_MIN_REPLICAS` above 0): the ledger's
 * `WAIT` only protects exactly-once when the primary has that many replicas online, refuses
 * writes without them (`min-replicas-to-write`), and every replica keeps what it acknowledged on
 * disk (`appendonly yes`, `appendfsync always`), since after a fail-over a replica's copy is the ledger.
 */
import { Redis } from 'ioredis';
import { durabilityProblems, readDurability, UnsafeRedisError } from './durability.ts';
import { redisOptions } from './redis-url.ts';

/** A replica as the primary's `INFO replication` lists it. */
export interface ReplicaInfo {
  address: string;
  host: string;
  port: number;
  state: string;
}

/** The replicas in an `INFO replication` text (`slave0:ip=…,port=…,state=online,…`). */
export function replicasOf(info: string): ReplicaInfo[] {
  return [...info.matchAll(/^slave\d+:(.*)$/gm)].map(([, fields]) => {
    const values = Object.fromEntries(fields.trim().split(',').map((pair) => pair.split('=') as [string, string]));
    return { address: `${values.ip}:${values.port}`, host: values.ip, port: Number(values.port), state: values.state };
  });
}

/** Reads a replica's AOF settings over its own connection, with the primary's credentials. */
async function replicaDurabilityProblems(url: string, replica: ReplicaInfo): Promise<string[]> {
  const { sentinels: _sentinels, name: _name, sentinelPassword: _password, failoverDetector: _detector, ...credentials } = redisOptions(url);
  const client = new Redis({ ...credentials, path: undefined, host: replica.host, port: replica.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000, commandTimeout: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return durabilityProblems(await readDurability(client, replica.address)).map((problem) => `replica ${replica.address}: ${problem}`);
  } catch (error) {
    return [`replica ${replica.address} could not be checked (${(error as Error).message})`];
  } finally {
    client.disconnect();
  }
}

/** Everything that keeps the primary at `where` from guarding the ledger with `min` replicas. */
export async function replicaProblems(redis: Redis, url: string, min: number): Promise<string[]> {
  const info = String(await redis.info('replication'));
  const role = /^role:(\w+)/m.exec(info)?.[1];
  if (role !== 'master') return [`it is a ${role ?? 'server of unknown role'}, not a primary`];
  const online = replicasOf(info).filter((replica) => replica.state === 'online');
  const problems: string[] = [];
  if (online.length < min) problems.push(`${online.length} replica(s) online, FERRY_REDIS_MIN_REPLICAS asks for ${min}`);
  const [, toWrite] = (await redis.call('CONFIG', 'GET', 'min-replicas-to-write')) as string[];
  if (!(Number(toWrite) >= 1)) problems.push(`min-replicas-to-write is ${toWrite || 'unset'} (set it to at least 1, so that a primary cut off from its replicas refuses writes)`);
  for (const replica of online) problems.push(...(await replicaDurabilityProblems(url, replica)));
  return problems;
}

/**
 * Throws {@link UnsafeRedisError} naming each problem, unless `allowUnsafe`; then it only
 * reports them through `onUnsafe`.
 */
export async function checkReplicas(redis: Redis, url: string, where: string, options: { min: number; allowUnsafe: boolean; onUnsafe?: (message: string) => void }): Promise<void> {
  const problems = await replicaProblems(redis, url, options.min);
  if (problems.length === 0) return;
  const message = `Redis at ${where} cannot guard the ledger with replicas: ${problems.join('; ')}.`;
  if (!options.allowUnsafe) {
    throw new UnsafeRedisError(`${message} Fix the replication (see the README, "Redis with a replica and Sentinel"), or set FERRY_REDIS_MIN_REPLICAS=0 to run without replicas.`);
  }
  options.onUnsafe?.(`ferry: ${message} Going on because FERRY_ALLOW_UNSAFE_REDIS=1.`);
}
