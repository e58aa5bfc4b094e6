/** Smoke test of `ferry bench latency`: it runs and prints its figures as JSON. */
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.ts';
import { benchJson } from '../../bench/bench-cli.ts';

const redis = useRedis();

describe('ferry bench latency --runs 2 --backlog 6 --json', () => {
  it('times two clerk runs behind a backlog of sync runs and prints their percentiles as the last line', async () => {
    const result = await benchJson(['latency', '--runs', '2', '--backlog', '6'], redis().url);
    expect(Object.keys(result).sort()).toEqual(['backlog', 'backlogLeft', 'maxMs', 'p50Ms', 'p95Ms', 'runs']);
    expect(result.runs).toBe(2);
    expect(result.backlog).toBe(6);
    expect(result.backlogLeft).toBeGreaterThanOrEqual(0);
    expect(result.backlogLeft).toBeLessThanOrEqual(6);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.maxMs).toBeGreaterThanOrEqual(result.p95Ms as number);
  });
});
