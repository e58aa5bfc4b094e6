/**
 * `ferry bench latency`: what a window clerk waits for. On a warm worker (both bots
 * already logged in), one staff-triggered enrollment at a time, from the trigger to the
 * outcome with its receipt, each for a different case.
 */
import { awaitOutcome } from '../runner/run/await-outcome.ts';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { startWorker } from '../runner/run/worker.ts';
import { startPrivateFerry, type PrivateFerry } from './private-ferry.ts';

/** Options of {@link runLatencyBench}. */
export interface LatencyBenchOptions {
  /** Runs to time, one after another. @defaultValue 50 */
  runs?: number;
  /** Called with a progress line now and then. */
  onProgress?: (line: string) => void;
}

/** The figures `ferry bench latency --json` prints. */
export interface LatencyBenchResult {
  runs: number;
  p50Ms: number;
  /** Target ≤ 2000. */
  p95Ms: number;
  maxMs: number;
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
}

/** Triggers one clerk run and waits for its receipt; returns the milliseconds it took. */
async function clerkRun(ferry: PrivateFerry, caseNo: string): Promise<number> {
  const started = performance.now();
  const jobId = await ferry.trigger(caseNo, 'staff');
  const outcome = await awaitOutcome(ferry.runtime.queue, ferry.runtime.ledger, jobId, { pollMs: 10, timeoutMs: 120_000 });
  const elapsed = performance.now() - started;
  if (outcome.state !== 'DONE' || !outcome.receipt) throw new Error(`run ${jobId} ended ${outcome.state} without a receipt: ${outcome.reason}`);
  return elapsed;
}

/** Runs the benchmark on a private Ferry with an in-process worker, and stops it after. */
export async function runLatencyBench(config: FerryConfig, options: LatencyBenchOptions = {}): Promise<LatencyBenchResult> {
  const { runs = 50, onProgress = () => {} } = options;
  const ferry = await startPrivateFerry(config, 'latency', runs + 1);
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir });
  const worker = await startWorker(ferry.runtime, { ocr, botUrls: ferry.botUrls }).catch(async (error) => {
    await ocr.close();
    await ferry.stop();
    throw error;
  });
  try {
    const [warmUp, ...cases] = ferry.cases;
    onProgress(`warming up: logging in, ${Math.round(await clerkRun(ferry, warmUp))} ms`);
    const durations: number[] = [];
    for (const caseNo of cases.slice(0, runs)) {
      durations.push(await clerkRun(ferry, caseNo));
      if (durations.length % 10 === 0) onProgress(`${durations.length}/${runs} runs, p50 ${percentile(durations, 50)} ms so far`);
    }
    return { runs, p50Ms: percentile(durations, 50), p95Ms: percentile(durations, 95), maxMs: percentile(durations, 100) };
  } finally {
    await worker.close();
    await ocr.close();
    await ferry.stop();
  }
}
