/** `ferry doctor` on the Redis it is given: which, reachable, auth, TLS, AOF settings, and never the password. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../runner/config.ts';
import { redisOptions } from '../runner/redis/redis-url.ts';
import { useRedis } from '../test/support/redis.ts';
import { redisChecks } from './doctor-redis.ts';

const redis = useRedis();

describe('ferry doctor on a REDIS_URL', () => {
  it('reports which Redis, that it answers, its auth, TLS and AOF settings, without the password', async () => {
    const checks = await redisChecks(parseConfig({ REDIS_URL: redis().url }));
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    expect(byName['redis'].detail).toContain('unix://');
    expect(byName['redis reachable'].ok).toBe(true);
    expect(byName['redis auth']).toMatchObject({ ok: true, detail: 'the default user, with a password' });
    expect(byName['redis TLS']).toMatchObject({ ok: true, detail: 'not needed: unix socket' });
    expect(byName['redis durability']).toMatchObject({ ok: true, detail: 'appendonly yes, appendfsync always' });
    expect(JSON.stringify(checks)).not.toContain(redisOptions(redis().url).password);
  });

  it('says a Redis that does not answer is not reachable', async () => {
    const checks = await redisChecks(parseConfig({ REDIS_URL: 'redis://ferry:secret-word@127.0.0.1:1' }));
    expect(checks.find((check) => check.name === 'redis reachable')).toMatchObject({ ok: false });
    expect(checks.find((check) => check.name === 'redis auth')).toMatchObject({ ok: true, detail: 'user ferry, with a password' });
    expect(JSON.stringify(checks)).not.toContain('secret-word');
  });
});
