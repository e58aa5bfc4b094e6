/** Smoke test of `ferry bench soak`: it runs and prints its figures as JSON. */
import { describe, expect, it } from 'vitest';
import { useRedis } from '../support/redis.ts';
import { benchJson } from '../../bench/bench-cli.ts';

const redis = useRedis();

describe('ferry bench soak --runs 2 --json', () => {
  it('runs both through a worker process and reports its memory and no pages beyond its sessions', async () => {
    const result = await benchJson(['soak', '--runs', '2'], redis().url);
    expect(result).toMatchObject({ runs: 2, runsFailed: 0 });
    for (const figure of ['workerRssStartMb', 'workerRssEndMb', 'workerHeapStartMb', 'workerHeapEndMb', 'chromiumRssStartMb', 'chromiumRssEndMb']) expect(result[figure]).toBeGreaterThan(0);
    expect(result.openContextsEnd).toBe(result.openSessionsEnd);
    expect(result.openPagesEnd).toBe(result.openSessionsEnd);
  });
});
