/** One `ferry chaos` proof per test file: run in `beforeAll`, stopped and removed in `afterAll`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runChaos, type ChaosOptions, type ChaosResult } from '../../bench/chaos/chaos.ts';
import { parseConfig } from '../../runner/config.ts';

/** What a test file reads of its chaos run. */
export interface ChaosRun {
  result(): ChaosResult;
  /** The proof's data dir (logs, evidence, the Redis files), until `afterAll`. */
  dataDir(): string;
}

/**
 * Runs the proof with `options` before the file's tests. `timeoutMs` bounds it: a chaos run on
 * this 2-core machine takes minutes alone and three times that beside busy processes.
 */
export function useChaosRun(options: Omit<ChaosOptions, 'dataDir' | 'chromiumPath' | 'tessdataDir' | 'signal'>, timeoutMs: number): ChaosRun {
  const config = parseConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const stop = new AbortController();
  let dataDir = '';
  let chaos: Promise<ChaosResult> | undefined;
  let result: ChaosResult | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-chaos-test-'));
    chaos = runChaos({ ...options, dataDir, chromiumPath: config.chromiumPath, tessdataDir: config.tessdataDir, signal: stop.signal });
    result = await chaos;
  }, timeoutMs);

  afterAll(async () => {
    stop.abort();
    await chaos?.catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  return {
    result: () => {
      if (!result) throw new Error('the chaos run has not finished');
      return result;
    },
    dataDir: () => dataDir,
  };
}
