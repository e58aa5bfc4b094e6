/** One `ferry chaos` proof per test file: run in `beforeAll`, stopped and removed in `afterAll`. */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** What the proof needs after its wait for the queue ends: stopping the workers, counting, tearing down. */
const TEARDOWN_MS = 300_000;

/**
 * Runs the proof with `options` before the file's tests. `timeoutMs` bounds it: a chaos run on
 * this 2-core machine takes minutes alone and three times that beside busy processes. The
 * proof stops waiting for the queue {@link TEARDOWN_MS} before that, so a run that cannot finish
 * still ends in figures; its progress lines go to `chaos-progress.log` in its data dir, and are
 * printed when it ends in no figures at all.
 */
export function useChaosRun(options: Omit<ChaosOptions, 'dataDir' | 'chromiumPath' | 'tessdataDir' | 'signal'>, timeoutMs: number): ChaosRun {
  const config = parseConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const stop = new AbortController();
  let dataDir = '';
  let chaos: Promise<ChaosResult> | undefined;
  let result: ChaosResult | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-chaos-test-'));
    const progress = join(dataDir, 'chaos-progress.log');
    chaos = runChaos({
      ...options, dataDir, chromiumPath: config.chromiumPath, tessdataDir: config.tessdataDir, signal: stop.signal,
      timeoutMs: timeoutMs - TEARDOWN_MS, onProgress: (line) => appendFileSync(progress, `${new Date().toISOString()} ${line}\n`),
    });
    result = await chaos;
  }, timeoutMs);

  afterAll(async () => {
    const progress = join(dataDir, 'chaos-progress.log');
    if (!result && existsSync(progress)) console.error(`the chaos run ended in no figures; its last progress lines:\n${readFileSync(progress, 'utf8').split('\n').slice(-30).join('\n')}`);
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
