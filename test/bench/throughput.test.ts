/**
 * Smoke test of the throughput benchmark: `ferry bench throughput --json` runs both
 * transfers on a few records and prints its figures in the agreed shape. No timing is checked.
 */
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.ts';
import { benchJson } from '../../bench/bench-cli.ts';

const redis = useRedis();

describe('the throughput benchmark on four records at concurrency 2', () => {
  it('prints a last line of JSON with every figure', async () => {
    const result = await benchJson(['throughput', '--records', '4', '--concurrency', '2'], redis().url);
    expect(Object.keys(result)).toEqual(['records', 'concurrency', 'ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds']);
    expect(result).toMatchObject({ records: 4, concurrency: 2 });
    for (const figure of ['ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds']) expect(result[figure]).toBeGreaterThan(0);
  });
});
