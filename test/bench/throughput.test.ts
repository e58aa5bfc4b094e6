/**
 * Smoke test of the throughput benchmark: `ferry bench throughput --json` runs both
 * transfers on a few records and prints its figures in the agreed shape, CPU per record
 * by process group included (the fixture systems in a process of their own). No timing is checked.
 */
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.ts';
import { benchJson } from '../../bench/bench-cli.ts';

const redis = useRedis();

describe('the throughput benchmark on four records at concurrency 2', () => {
  it('prints a last line of JSON with every figure', async () => {
    // Two fixture processes, two Chromiums and a worker start here: minutes on a loaded machine.
    const result = await benchJson(['throughput', '--records', '4', '--concurrency', '2'], redis().url, 480_000);
    expect(Object.keys(result)).toEqual(['records', 'concurrency', 'ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds', 'cpuMsPerRecord']);
    expect(result).toMatchObject({ records: 4, concurrency: 2 });
    for (const figure of ['ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds']) expect(result[figure]).toBeGreaterThan(0);
    const cpu = result.cpuMsPerRecord as Record<string, Record<string, number>>;
    expect(Object.keys(cpu.ferry)).toEqual(['node', 'chromium', 'fixtures', 'redis']);
    expect(Object.keys(cpu.baseline)).toEqual(['node', 'chromium', 'fixtures']);
    for (const groups of [cpu.ferry, cpu.baseline]) for (const ms of Object.values(groups)) expect(ms).toBeGreaterThan(0);
  }, 500_000);
});
