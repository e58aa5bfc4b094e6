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
});
