/**
 * Stopping a benchmark part way: SIGINT to `ferry bench soak` or `latency` alone (as a
 * supervisor sends it; a terminal's Ctrl-C also reaches the soak's worker) stops everything
 * it started, the embedded redis-server and Chromium included, and exits 130 without figures.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../../cli/ferry-process.ts';
import { commandOf, descendantsOf, leftRunning } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

const isChromium = (pid: number) => commandOf(pid).includes('chromium');

describe.each([
  ['soak', '--runs', '400'],
  ['latency', '--runs', '50'],
])('ferry bench %s, stopped part way', (...args) => {
  it('stops its worker, Chromium and the embedded Redis, and exits 130 with no figures', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-bench-stop-'));
    const { REDIS_URL: _shared, ...env } = process.env;
    const bench = spawn(process.execPath, [FERRY_BIN, 'bench', ...args, '--json'], {
      env: { ...env, FERRY_DATA_DIR: dataDir, FERRY_SECRET_KEY: randomBytes(32).toString('hex') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    bench.stdout.on('data', (chunk) => (stdout += chunk));
    bench.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(bench, 'exit');
    try {
      await waitFor('the benchmark to start Chromium', () => {
        if (bench.exitCode !== null) throw new Error(`ferry bench ${args[0]} exited ${bench.exitCode}: ${stderr}`);
        return descendantsOf(bench.pid!).some(isChromium);
      }, 120_000);
      const started = descendantsOf(bench.pid!);
      expect(started.map(commandOf).some((command) => command.startsWith('redis-server'))).toBe(true);

      bench.kill('SIGINT');
      const [code] = await exited;
      expect(code, stderr.slice(-2000)).toBe(130);
      expect(stderr).toContain(`ferry bench ${args[0]}: stopped before it finished`);
      expect(stdout.trim()).toBe('');
      expect(await leftRunning(started)).toEqual([]);
    } finally {
      if (bench.exitCode === null) bench.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
