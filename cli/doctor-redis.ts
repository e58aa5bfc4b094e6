/**
 * `ferry doctor`'s Redis checks: which Redis Ferry uses, whether it answers, how Ferry
 * authenticates (never the password itself), TLS, and the AOF settings exactly-once needs.
 */
import type { Redis } from 'ioredis';
import type { FerryConfig } from '../runner/config.ts';
import { pingOnce, probeRedis } from '../runner/redis/connect.ts';
import { durabilityProblems, readDurability } from '../runner/redis/durability.ts';
import { replicaProblems } from '../runner/redis/replicas.ts';
import { embeddedRedisDir, embeddedRedisUrl } from '../runner/redis/embedded-redis.ts';
import { describeRedisUrl, redisUrlFacts } from '../runner/redis/redis-url.ts';
import type { DoctorCheck } from './doctor.ts';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/;

/** Auth and TLS, read from the URL alone. */
function urlChecks(url: string): DoctorCheck[] {
  const facts = redisUrlFacts(url);
  // The host, or for Sentinel every sentinel's host (`<name> via host:port,…`).
  const hosts = facts.address.replace(/^.* via /, '').split(',').map((address) => address.replace(/:\d+$/, ''));
  const auth = `${facts.username ? `user ${facts.username}` : 'the default user'}, ${facts.hasPassword ? 'with a password' : 'no password'}`;
  return [
    {
      name: 'redis auth', ok: facts.hasPassword || facts.transport === 'unix', detail: auth,
      fix: 'give Ferry a Redis user with a password (ACL or requirepass) and put it in REDIS_URL: redis://user:password@host:port',
    },
    {
      name: 'redis TLS',
      ok: facts.transport === 'tls' || facts.transport === 'unix' || hosts.every((host) => LOOPBACK.test(host)),
      detail: { tls: 'yes (rediss://)', unix: 'not needed: unix socket', tcp: 'no: plain TCP', sentinel: 'no: plain TCP through Sentinel' }[facts.transport],
      fix: 'use rediss:// for a Redis on another machine',
    },
  ];
}

/** Whether the Redis at `url` answers, its AOF settings, and with `minReplicas` its replication. */
async function serverChecks(url: string, where: string, minReplicas = 0): Promise<DoctorCheck[]> {
  try {
    await pingOnce(url, 3000);
  } catch (error) {
    return [{ name: 'redis reachable', ok: false, detail: `${where}: ${(error as Error).message}`, fix: 'start Redis, or check REDIS_URL (host, port, user, password)' }];
  }
  const client = probeRedis(url, 3000);
  try {
    await client.connect();
    const durability = await readDurability(client, where);
    const problems = durabilityProblems(durability);
    return [
      { name: 'redis reachable', ok: true, detail: where },
      {
        name: 'redis durability', ok: problems.length === 0,
        detail: problems.length ? problems.join('; ') : `appendonly ${durability.appendonly}, appendfsync ${durability.appendfsync}`,
        fix: 'set appendonly yes and appendfsync always in redis.conf (or FERRY_ALLOW_UNSAFE_REDIS=1 to accept the risk)',
      },
      ...(minReplicas > 0 ? [await replicationCheck(client, url, minReplicas)] : []),
    ];
  } catch (error) {
    return [{ name: 'redis reachable', ok: true, detail: where }, { name: 'redis durability', ok: false, detail: (error as Error).message, fix: 'allow CONFIG GET for Ferry\'s Redis user' }];
  } finally {
    client.disconnect();
  }
}

/** The replication the ledger's WAIT relies on (FERRY_REDIS_MIN_REPLICAS). */
async function replicationCheck(client: Redis, url: string, minReplicas: number): Promise<DoctorCheck> {
  const problems = await replicaProblems(client, url, minReplicas).catch((error: Error) => [error.message]);
  return {
    name: 'redis replicas', ok: problems.length === 0,
    detail: problems.length ? problems.join('; ') : `${minReplicas} or more online, each with appendfsync always; min-replicas-to-write set`,
    fix: 'see the README, "Redis with a replica and Sentinel"',
  };
}

export async function redisChecks(config: FerryConfig): Promise<DoctorCheck[]> {
  if (config.redisUrl) {
    const where = describeRedisUrl(config.redisUrl);
    return [{ name: 'redis', ok: true, detail: `REDIS_URL ${where}` }, ...urlChecks(config.redisUrl), ...(await serverChecks(config.redisUrl, where, config.minReplicas))];
  }
  const dir = embeddedRedisDir(config.dataDir);
  const which: DoctorCheck = { name: 'redis', ok: true, detail: `embedded: unix socket in ${dir} (owner-only), password in ${dir}/password (0600)` };
  const url = embeddedRedisUrl(config.dataDir);
  if (!url) return [which, { name: 'redis reachable', ok: true, detail: 'not set up yet: Ferry starts it on first use' }];
  const checks = await serverChecks(url, describeRedisUrl(url));
  if (!checks[0].ok) return [which, { name: 'redis reachable', ok: true, detail: 'not running: Ferry starts it on demand' }];
  return [which, ...urlChecks(url), ...checks];
}
