/**
 * Run (a) of `ferry bench throughput`: Ferry with every guarantee on. The cases are
 * enqueued as runs of the enrollment recipe, and one in-process worker with concurrency
 * C drains them: ledger, `find` where the protocol needs it, verify, evidence chunks and
 * logging all on. Only the session caps of the two systems are raised to C.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { botUrlsOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import type { RunningFixtures } from '../fixtures/start.ts';
import type { FerryConfig } from '../runner/config.ts';
import type { OcrPool } from '../runner/ocr/ocr.ts';
import { openRuntime } from '../runner/runtime.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { startWorker } from '../runner/run/worker.ts';

const RECIPE = 'flexible-worker-enrollment';

/** What run (a) did. */
export interface FerryRunResult {
  seconds: number;
  completed: number;
  failed: number;
}

/** How run (a) is watched: CPU samples at its start and end, and the runs settled so far. */
export interface FerryRunWatch {
  /** Called once the worker is about to start, and again once every run has settled (Chromium still open). */
  sample(redis: Redis): Promise<void>;
  onSettled(done: number): void;
  /** Aborted to stop part way: the worker stops and the call rejects. */
  signal?: AbortSignal;
}

/** Enqueues a run per case and waits until the worker has drained them all. */
export async function runFerry(
  config: FerryConfig, urls: RunningFixtures['urls'], caseNos: string[], concurrency: number, ocr: OcrPool, watch: FerryRunWatch,
): Promise<FerryRunResult> {
  const runtime = await openRuntime({ ...config, namespace: `bench-${randomBytes(4).toString('hex')}` }, { role: 'bench' });
  try {
    await storeFixtureCredentials(runtime.credentials);
    const caps = { acceptance: concurrency, 'medical-insurance': concurrency };
    await watch.sample(runtime.redis);
    const started = performance.now();
    const worker = await startWorker(runtime, { ocr, concurrency, botUrls: botUrlsOf(urls), maxSessions: caps });
    try {
      const recipe = runtime.recipes.get(RECIPE);
      const options = {
        trigger: { via: 'cli' as const, by: 'cli:bench' as const }, hash: (value: string) => runtime.secrets.keyedHash(value), attempts: config.attempts,
      };
      await Promise.all(caseNos.map((caseNo) => triggerRun(runtime.queue, recipe, { caseNo }, options)));
      for (;;) {
        watch.signal?.throwIfAborted();
        const counts = await runtime.queue.getJobCounts('completed', 'failed');
        watch.onSettled(counts.completed + counts.failed);
        if (counts.completed + counts.failed >= caseNos.length) {
          const seconds = (performance.now() - started) / 1000;
          await watch.sample(runtime.redis);
          return { seconds, completed: counts.completed, failed: counts.failed };
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await worker.close();
    }
  } finally {
    await runtime.close();
  }
}
