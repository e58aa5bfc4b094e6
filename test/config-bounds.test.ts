/**
 * A bad setting stops `ferry` at once with exit code 2 and a message naming the variable
 * (or the flag): numbers out of range, a Redis URL of another scheme, a data dir that
 * cannot be written (`/proc/x` used to hang for ever).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFerry } from './support/ferry-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ferry-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
/** Nothing here may reach Redis: a config error comes first. */
const env = (extra: Record<string, string>) => ({ FERRY_DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', ...extra });

describe('ferry with a bad setting', () => {
  it.each([
    ['FERRY_CONCURRENCY', '1e9'], ['FERRY_LOCK_MS', '1'], ['REDIS_URL', 'http://127.0.0.1:6379'], ['FERRY_DATA_DIR', '/proc/x'],
    ['FERRY_TRUST_PROXY', 'everyone'],
  ])('%s=%s exits 2 naming the variable', async (name, value) => {
    const result = await runFerry(['users', 'list'], env({ [name]: value }), 150_000);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(`${name}: `)]);
  });

  it('--trust-proxy with neither a hop count nor addresses exits 2 naming the flag', async () => {
    const result = await runFerry(['dashboard', '--port', '0', '--trust-proxy', 'everyone'], env({}), 150_000);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('--trust-proxy: a hop count')]);
  });
});
