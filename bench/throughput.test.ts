/**
 * Smoke test of the throughput benchmark: `ferry bench throughput --json` runs both
 * transfers on a few records and prints its figures in the agreed shape. No timing is checked.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const FERRY = join(import.meta.dirname, '..', 'bin', 'ferry.js');

describe('the throughput benchmark on four records at concurrency 2', () => {
  it('prints a last line of JSON with every figure', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [FERRY, 'bench', 'throughput', '--records', '4', '--concurrency', '2', '--json']);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(result)).toEqual(['records', 'concurrency', 'ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds']);
    expect(result).toMatchObject({ records: 4, concurrency: 2 });
    for (const figure of ['ferryPerSec', 'baselinePerSec', 'ratio', 'ferrySeconds', 'baselineSeconds']) expect(result[figure]).toBeGreaterThan(0);
  });
});
