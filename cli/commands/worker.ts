/**
 * `ferry worker`: executes runs until SIGTERM/SIGINT, then stops the way every long-running
 * command does (see ../shutdown.ts). A wrong FERRY_SECRET_KEY or a Chromium that cannot start
 * stops it at once, leaving the queue untouched.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import { openRuntime, SERVICE_REDIS_PATIENCE_MS } from '../../runner/runtime.ts';
import { startWorker } from '../../runner/run/worker.ts';
import { starveOnStop } from '../../runner/run/fault-points.ts';
import { describeBroken } from '../../runner/define/registry.ts';
import { note } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('execute runs from the queue (one Chromium per process)')
    .option('--concurrency <n>', 'runs at once (default FERRY_CONCURRENCY)')
    .action(async (options) => runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
      const runtime = await openRuntime(config(), { role: 'worker', onRedisNotice: note, redisPatienceMs: SERVICE_REDIS_PATIENCE_MS });
      lifetime.defer(() => runtime.close());
      for (const broken of runtime.recipes.broken()) note(`${describeBroken(broken)}; the other recipes run`);
      const ocr = new OcrPool({ tessdataDir: runtime.config.tessdataDir });
      lifetime.defer(() => ocr.close());
      await runtime.credentials.check(runtime.recipes.botIds());
      const worker = await startWorker(runtime, { ocr, concurrency: options.concurrency ? Number(options.concurrency) : undefined });
      lifetime.defer(() => worker.close({ force: lifetime.forced }));
      starveOnStop(runtime.config, lifetime.stopping);
      note(`worker ${worker.id} started; Ctrl-C or SIGTERM stops it after in-flight runs`);
      await lifetime.untilStopped();
    }));
}
