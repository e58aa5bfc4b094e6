import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('configuration', () => {
  it('has defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.ferry$/);
    expect(config.chromiumPath).toBe('/usr/bin/chromium');
  });

  it('reads per-bot base URLs from FERRY_URL_<BOT>', () => {
    expect(parseConfig({ FERRY_URL_MEDICAL_INSURANCE: 'http://127.0.0.1:9000/' }).botUrls).toEqual({ 'medical-insurance': 'http://127.0.0.1:9000' });
  });

  it('names every bad variable in one clear error', () => {
    expect(() => parseConfig({ REDIS_URL: 'not a url', FERRY_CONCURRENCY: 'many' })).toThrow(ConfigError);
    expect(() => parseConfig({ REDIS_URL: 'not a url', FERRY_CONCURRENCY: 'many' })).toThrow(/REDIS_URL[\s\S]*FERRY_CONCURRENCY/);
  });

  it('gives the stop grace period a default and a sane range', () => {
    expect(parseConfig({}).stopGraceMs).toBe(60_000);
    expect(parseConfig({ FERRY_STOP_GRACE_MS: '5000' }).stopGraceMs).toBe(5_000);
    for (const bad of ['0', '10', '1e9', 'soon']) expect(() => parseConfig({ FERRY_STOP_GRACE_MS: bad })).toThrow(/FERRY_STOP_GRACE_MS/);
  });

  it('takes redis://, rediss:// and unix:// Redis URLs, and refuses others naming the forms it takes', () => {
    for (const url of ['redis://ferry:pw@10.0.0.5:6379/1', 'rediss://ferry:pw@redis.example:6380', 'unix:///var/lib/ferry/redis.sock?password=pw']) {
      expect(parseConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    }
    expect(() => parseConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL: has scheme http: but must start with redis:\/\/, rediss:\/\/ \(TLS\), unix:\/\/ or redis\+sentinel:\/\//);
  });

  it('accepts an unsafe Redis only when FERRY_ALLOW_UNSAFE_REDIS is 1', () => {
    expect(parseConfig({}).allowUnsafeRedis).toBe(false);
    expect(parseConfig({ FERRY_ALLOW_UNSAFE_REDIS: '1' }).allowUnsafeRedis).toBe(true);
    expect(() => parseConfig({ FERRY_ALLOW_UNSAFE_REDIS: 'yes' })).toThrow(/FERRY_ALLOW_UNSAFE_REDIS/);
  });
});

describe('configuration bounds', () => {
  it.each([
    ['FERRY_CONCURRENCY', '1e9'], ['FERRY_CONCURRENCY', '0'], ['FERRY_LOCK_MS', '1'], ['FERRY_ATTEMPTS', '1000'],
    ['FERRY_CONTEXT_MAX_RUNS', '-1'], ['FERRY_EVIDENCE_RETENTION_DAYS', '1.5'], ['FERRY_SESSION_WAIT_MS', '50'],
    ['FERRY_RECORD_RETENTION_DAYS', '0'], ['FERRY_RECORD_RETENTION_DAYS', '3651'],
  ])('refuses %s=%s with the allowed range', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`${name}: a whole number from \\d+ to \\d+`));
  });

  it('takes values inside the ranges', () => {
    expect(parseConfig({ FERRY_CONCURRENCY: '64', FERRY_LOCK_MS: '1000', FERRY_SESSION_WAIT_MS: '100', FERRY_RECORD_RETENTION_DAYS: '3650' }))
      .toMatchObject({ concurrency: 64, lockMs: 1000, sessionWaitMs: 100, recordRetentionDays: 3650 });
    expect(parseConfig({}).recordRetentionDays).toBe(90);
  });

  it.each(['http://127.0.0.1:6379', 'ftp://redis', 'file:///tmp/redis.sock'])('refuses REDIS_URL=%s, naming the schemes it takes', (url) => {
    expect(() => parseConfig({ REDIS_URL: url })).toThrow(/REDIS_URL: .*must start with redis:\/\/, rediss:\/\//);
  });

  it.each(['redis://127.0.0.1:6379', 'rediss://user:secret@redis.example:6380/0'])('takes REDIS_URL=%s', (url) => {
    expect(parseConfig({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it.each(['/proc/ferry-data', '/etc/passwd/data', '/sys/ferry'])('refuses FERRY_DATA_DIR=%s at once, naming it', (dir) => {
    expect(() => parseConfig({ FERRY_DATA_DIR: dir })).toThrow(new RegExp(`FERRY_DATA_DIR: .*${dir.split('/')[1]}`));
  });

  it('reads FERRY_TRUST_PROXY as a hop count or addresses, and refuses anything else', () => {
    expect(parseConfig({ FERRY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ FERRY_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => parseConfig({ FERRY_TRUST_PROXY: 'yes' })).toThrow(/FERRY_TRUST_PROXY: a hop count/);
    expect(parseConfig({}).trustProxy).toBeUndefined();
  });

  it('finds the primary through Sentinel from REDIS_SENTINELS and REDIS_SENTINEL_NAME, and says what is missing', () => {
    const config = parseConfig({ REDIS_SENTINELS: '10.0.0.5:26379, 10.0.0.6:26379', REDIS_SENTINEL_NAME: 'ferry', REDIS_PASSWORD: 'p@ss' });
    expect(config.redisUrl).toBe('redis+sentinel://:p%40ss@10.0.0.5:26379,10.0.0.6:26379/ferry');
    expect(() => parseConfig({ REDIS_SENTINELS: '10.0.0.5:26379' })).toThrow(/REDIS_SENTINEL_NAME: is needed with REDIS_SENTINELS/);
    expect(() => parseConfig({ REDIS_SENTINEL_NAME: 'ferry' })).toThrow(/REDIS_SENTINELS: is needed with REDIS_SENTINEL_NAME/);
    expect(() => parseConfig({ REDIS_SENTINELS: '10.0.0.5', REDIS_SENTINEL_NAME: 'ferry' })).toThrow(/REDIS_SENTINELS: host:port of each sentinel/);
    expect(() => parseConfig({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_NAME: 'ferry', REDIS_URL: 'redis://10.0.0.5' })).toThrow(/either REDIS_URL or REDIS_SENTINELS/);
  });

  it('waits for no replica by default, and takes 0 to 16 replicas and 10 ms to 60 s', () => {
    expect(parseConfig({})).toMatchObject({ minReplicas: 0, replicaWaitMs: 1000 });
    expect(parseConfig({ FERRY_REDIS_MIN_REPLICAS: '1', FERRY_REDIS_REPLICA_WAIT_MS: '250' })).toMatchObject({ minReplicas: 1, replicaWaitMs: 250 });
    for (const bad of ['-1', '17', 'one']) expect(() => parseConfig({ FERRY_REDIS_MIN_REPLICAS: bad })).toThrow(/FERRY_REDIS_MIN_REPLICAS/);
    for (const bad of ['5', '60001']) expect(() => parseConfig({ FERRY_REDIS_REPLICA_WAIT_MS: bad })).toThrow(/FERRY_REDIS_REPLICA_WAIT_MS/);
  });
});

describe('an evidence bucket', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'ferry', AWS_SECRET_ACCESS_KEY: 'ferry-secret' };

  it('is unset by default, so evidence stays on the local disk, whatever AWS variables are about', () => {
    expect(parseConfig({ AWS_ENDPOINT_URL: 'not a url' }).evidenceBucket).toBeUndefined();
  });

  it('takes FERRY_EVIDENCE_URL=s3://bucket/prefix with the endpoint, region and keys of the AWS variables', () => {
    const config = parseConfig({
      ...keys, FERRY_EVIDENCE_URL: 's3://ferry-evidence/city/workers/', FERRY_EVIDENCE_PATH_STYLE: '1',
      AWS_ENDPOINT_URL: 'https://aws.example', AWS_ENDPOINT_URL_S3: 'http://minio.example:9000', AWS_REGION: 'cn-north-1',
    });
    expect(config.evidenceBucket).toEqual({
      bucket: 'ferry-evidence', prefix: 'city/workers', endpoint: 'http://minio.example:9000', region: 'cn-north-1', pathStyle: true,
      credentials: { accessKeyId: 'ferry', secretAccessKey: 'ferry-secret', sessionToken: undefined },
    });
  });

  it('defaults to the bucket root, us-east-1, virtual-host addressing and AWS_ENDPOINT_URL', () => {
    expect(parseConfig({ ...keys, FERRY_EVIDENCE_URL: 's3://ferry-evidence', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }).evidenceBucket)
      .toMatchObject({ bucket: 'ferry-evidence', prefix: '', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', pathStyle: false });
  });

  it.each(['http://ferry-evidence/x', 's3://', 's3://Ferry_Evidence', 's3://ferry-evidence/a//b', 's3://ferry-evidence/../x', 'ferry-evidence'])(
    'refuses FERRY_EVIDENCE_URL=%s, naming the form it takes', (url) => {
      expect(() => parseConfig({ ...keys, FERRY_EVIDENCE_URL: url })).toThrow(`FERRY_EVIDENCE_URL: must be s3://bucket[/prefix], not "${url}"`);
    });

  it('wants the access keys with it, and an http(s) endpoint', () => {
    expect(() => parseConfig({ FERRY_EVIDENCE_URL: 's3://ferry-evidence' })).toThrow(/AWS_ACCESS_KEY_ID: needed with FERRY_EVIDENCE_URL[\s\S]*AWS_SECRET_ACCESS_KEY: needed/);
    expect(() => parseConfig({ ...keys, FERRY_EVIDENCE_URL: 's3://ferry-evidence', AWS_ENDPOINT_URL: 'minio:9000' })).toThrow(/AWS_ENDPOINT_URL: an http:\/\/ or https:\/\/ address/);
    expect(() => parseConfig({ ...keys, FERRY_EVIDENCE_URL: 's3://ferry-evidence', FERRY_EVIDENCE_PATH_STYLE: 'yes' })).toThrow(/FERRY_EVIDENCE_PATH_STYLE/);
  });
});
