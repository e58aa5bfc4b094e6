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
