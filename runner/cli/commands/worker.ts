/** `ferry worker`: executes runs until SIGTERM/SIGINT, then shuts down gracefully. */
import type { Command } from 'commander';
import { config } from '../../config.ts';
import { OcrPool } from '../../ocr.ts';
import { openRuntime } from '../../runtime.ts';
import { startWorker } from '../../worker.ts';
import { note, untilSignal } from '../output.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('execute runs from the queue (one Chromium per process)')
    .option('--concurrency <n>', 'runs at once (default FERRY_CONCURRENCY)')
    .action(async (options) => {
      const runtime = await openRuntime(config(), { role: 'worker', onRedisRetry: note });
      const ocr = new OcrPool({ tessdataDir: runtime.config.tessdataDir });
      const worker = await startWorker(runtime, { ocr, concurrency: options.concurrency ? Number(options.concurrency) : undefined });
      note(`worker ${worker.id} started; Ctrl-C or SIGTERM stops it after in-flight runs`);
      await untilSignal();
      note('stopping: finishing in-flight runs…');
      await worker.close();
      await ocr.close();
      await runtime.close();
    });
}
