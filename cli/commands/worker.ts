/**
 * `ferry worker`: executes runs until SIGTERM/SIGINT, then shuts down gracefully. A wrong
 * FERRY_SECRET_KEY or a Chromium that cannot start stops it at once, leaving the queue untouched.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { startWorker, type RunningWorker } from '../../runner/run/worker.ts';
import { note, untilSignal } from '../output.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('execute runs from the queue (one Chromium per process)')
    .option('--concurrency <n>', 'runs at once (default FERRY_CONCURRENCY)')
    .action(async (options) => {
      const runtime = await openRuntime(config(), { role: 'worker', onRedisRetry: note });
      const ocr = new OcrPool({ tessdataDir: runtime.config.tessdataDir });
      let worker: RunningWorker;
      try {
        await runtime.credentials.check(runtime.recipes.botIds());
        worker = await startWorker(runtime, { ocr, concurrency: options.concurrency ? Number(options.concurrency) : undefined });
      } catch (error) {
        await ocr.close();
        await runtime.close();
        throw error;
      }
      note(`worker ${worker.id} started; Ctrl-C or SIGTERM stops it after in-flight runs`);
      await untilSignal();
      note('stopping: finishing in-flight runs…');
      await worker.close();
      await ocr.close();
      await runtime.close();
    });
}
