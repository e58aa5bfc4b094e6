/**
 * A session pool outside a worker, for a command that logs in as bots (`ferry inspect --bot`,
 * `ferry canary`): the runtime, OCR for captchas, Chromium and a pool like a worker's, all
 * closed again however the work ends.
 */
import { hostname } from 'node:os';
import type { SessionPool } from '../runner/browser/session-pool.ts';
import { launchChromium } from '../runner/browser/chromium.ts';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { sessionPoolFor } from '../runner/run/worker.ts';
import { note } from './output.ts';

/** Runs `work` with a runtime, a session pool and OCR of its own. */
export async function withSessionPool<T>(settings: FerryConfig, work: (runtime: Runtime, pool: SessionPool, ocr: OcrPool) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(settings, { role: 'cli', onRedisNotice: note });
  const ocr = new OcrPool({ tessdataDir: settings.tessdataDir });
  try {
    const browser = await launchChromium(settings.chromiumPath);
    const pool = sessionPoolFor(runtime, { browser, ocr, workerId: `cli-${hostname()}-${process.pid}` });
    try {
      return await work(runtime, pool, ocr);
    } finally {
      await pool.close();
      await browser.close();
    }
  } finally {
    await ocr.close();
    await runtime.close();
  }
}
