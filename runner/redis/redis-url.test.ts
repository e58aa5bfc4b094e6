/** The forms REDIS_URL takes, what they say about the connection, and that a password never shows. */
import { describe, expect, it } from 'vitest';
import { describeRedisUrl, redisOptions, redisUrlFacts, redisUrlProblem, unixSocketUrl } from './redis-url.ts';

describe('a Redis URL', () => {
  it('with a user, a password and rediss:// connects over TLS as that user', () => {
    const url = 'rediss://ferry:p%40ss@redis.example:6380/2';
    expect(redisOptions(url)).toMatchObject({ host: 'redis.example', port: 6380, username: 'ferry', password: 'p@ss', db: 2, tls: { servername: 'redis.example' } });
    expect(redisUrlFacts(url)).toEqual({ transport: 'tls', address: 'redis.example:6380', username: 'ferry', hasPassword: true });
    expect(describeRedisUrl(url)).toBe('rediss://ferry:***@redis.example:6380/2');
  });

  it('for a unix socket carries the password in its query, hidden when shown', () => {
    const url = unixSocketUrl('/var/lib/ferry data/redis/redis.sock', 'se/cr+et');
    expect(redisOptions(url)).toMatchObject({ path: '/var/lib/ferry data/redis/redis.sock', password: 'se/cr+et' });
    expect(redisUrlFacts(url)).toMatchObject({ transport: 'unix', hasPassword: true });
    expect(describeRedisUrl(url)).not.toContain('se');
    expect(describeRedisUrl(url)).toContain('password=***');
  });

  it('plain redis:// without a password is TCP as the default user', () => {
    expect(redisUrlFacts('redis://127.0.0.1')).toEqual({ transport: 'tcp', address: '127.0.0.1:6379', username: undefined, hasPassword: false });
  });

  it('refuses other schemes, naming the ones it takes', () => {
    expect(redisUrlProblem('http://127.0.0.1:6379')).toMatch(/redis:\/\/, rediss:\/\/ \(TLS\), unix:\/\/ or redis\+sentinel:\/\//);
    expect(redisUrlProblem('not a url')).toMatch(/is not a URL/);
    expect(redisUrlProblem('redis://127.0.0.1:6379')).toBeUndefined();
  });

  it('through Sentinel lists the sentinels and the master name, follows fail-overs, and hides both passwords', () => {
    const url = 'redis+sentinel://ferry:p%40ss@10.0.0.5:26379,[::1]:26380/mymaster/2?sentinelPassword=s3cret';
    expect(redisOptions(url)).toMatchObject({
      sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: '::1', port: 26380 }], name: 'mymaster', username: 'ferry', password: 'p@ss', db: 2,
      sentinelPassword: 's3cret', failoverDetector: true,
    });
    expect(redisUrlFacts(url)).toEqual({ transport: 'sentinel', address: 'mymaster via 10.0.0.5:26379,::1:26380', username: 'ferry', hasPassword: true });
    expect(describeRedisUrl(url)).toBe('redis+sentinel://ferry:***@10.0.0.5:26379,[::1]:26380/mymaster/2?sentinelPassword=***');
    expect(redisUrlProblem(url)).toBeUndefined();
    expect(redisUrlProblem('redis+sentinel://10.0.0.5/mymaster')).toMatch(/names the sentinel "10.0.0.5", which is not host:port/);
    expect(redisUrlProblem('redis+sentinel://10.0.0.5:26379')).toMatch(/is not a Sentinel URL of the form/);
  });
});
