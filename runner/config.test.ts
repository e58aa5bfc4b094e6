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
    expect(() => parseConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL: has scheme http: but must start with redis:\/\/, rediss:\/\/ \(TLS\) or unix:\/\//);
  });

  it('accepts an unsafe Redis only when FERRY_ALLOW_UNSAFE_REDIS is 1', () => {
    expect(parseConfig({}).allowUnsafeRedis).toBe(false);
    expect(parseConfig({ FERRY_ALLOW_UNSAFE_REDIS: '1' }).allowUnsafeRedis).toBe(true);
    expect(() => parseConfig({ FERRY_ALLOW_UNSAFE_REDIS: 'yes' })).toThrow(/FERRY_ALLOW_UNSAFE_REDIS/);
  });
});
