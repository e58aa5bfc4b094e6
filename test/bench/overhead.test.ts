/** Smoke test of `ferry bench overhead`: it runs and prints its figures as JSON. */
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.ts';
import { benchJson } from '../../bench/bench-cli.ts';

const redis = useRedis();

describe('ferry bench overhead --runs 3 --json', () => {
  it('times bare jobs and Ferry runs and prints the milliseconds per run as the last line', async () => {
    const result = await benchJson(['overhead', '--runs', '3'], redis().url);
    expect(Object.keys(result).sort()).toEqual(['bareMsPerRun', 'ferryMsPerRun', 'overheadMsPerRun', 'runs']);
    expect(result.runs).toBe(3);
    expect(result.overheadMsPerRun).toBeCloseTo((result.ferryMsPerRun as number) - (result.bareMsPerRun as number), 1);
  });
});

describe('ferry bench overhead --runs 3 --replicas --json', () => {
  it('also times Ferry runs through a primary and its replica, without and with WAIT, and prints what WAIT costs', async () => {
    const result = await benchJson(['overhead', '--runs', '3', '--replicas'], redis().url);
    const replicas = result.replicas as Record<string, number>;
    expect(Object.keys(replicas).sort()).toEqual(['noWaitMsPerRun', 'waitCostMsPerRun', 'waitMsPerRun']);
    expect(replicas.noWaitMsPerRun).toBeGreaterThan(0);
    expect(replicas.waitMsPerRun).toBeGreaterThan(0);
    expect(replicas.waitCostMsPerRun).toBeCloseTo(replicas.waitMsPerRun - replicas.noWaitMsPerRun, 1);
  });
});
