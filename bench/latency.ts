/**
 * `ferry bench latency`: what a window clerk waits for. On a warm worker (both bots
 * already logged in), one staff-triggered enrollment at a time, from the trigger to the
 * outcome with its receipt, each for a different case. With `backlog`, that many sync
 * runs are queued first and drain while the clerk's runs are timed.
 */
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { runOutcomes } from '../runner/run/await-outcome.ts';
import type { JobWaiter } from '../runner/run/job-waiter.ts';
import { triggeredBy, type RunOutcome } from '../runner/run/types.ts';
import { startWorker } from '../runner/run/worker.ts';
import { fanOut } from '../runner/scheduler/fan-out.ts';
import { BENCH_RECIPE, startPrivateFerry, type PrivateFerry } from './private-ferry.ts';
import { unlessStopped } from '../cli/shutdown.ts';

/** Options of {@link runLatencyBench}. */
export interface LatencyBenchOptions {
  /** Runs to time, one after another. @defaultValue 50 */
  runs?: number;
  /** Sync runs queued before the clerk's, draining meanwhile. @defaultValue 0 */
  backlog?: number;
  /** Called with a progress line now and then. */
  onProgress?: (line: string) => void;
  /** Aborted to stop part way: the worker and the private Ferry are stopped, and the call rejects. */
  signal?: AbortSignal;
}

/** The figures `ferry bench latency --json` prints. */
export interface LatencyBenchResult {
  runs: number;
  /** Sync runs queued when the clerk's runs began. */
  backlog: number;
  /** Of those, still waiting when the last clerk run ended: above 0, every clerk run met a backlog. */
  backlogLeft: number;
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
async function clerkRun(ferry: PrivateFerry, outcomes: JobWaiter<RunOutcome>, caseNo: string, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  const jobId = await ferry.trigger(caseNo, 'staff');
  const outcome = await unlessStopped(outcomes.wait(jobId), signal);
  const elapsed = performance.now() - started;
  if (outcome.state !== 'DONE' || !outcome.receipt) throw new Error(`run ${jobId} ended ${outcome.state} without a receipt: ${outcome.reason}`);
  return elapsed;
}

/** Runs the benchmark on a private Ferry with an in-process worker, and stops it after. */
export async function runLatencyBench(config: FerryConfig, options: LatencyBenchOptions = {}): Promise<LatencyBenchResult> {
  const { runs = 50, backlog = 0, onProgress = () => {}, signal } = options;
  const ferry = await startPrivateFerry(config, 'latency', runs + 1 + backlog);
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir });
  const outcomes = runOutcomes(ferry.runtime.queue, ferry.runtime.ledger);
  const worker = await startWorker(ferry.runtime, { ocr, botUrls: ferry.botUrls }).catch(async (error) => {
    await ocr.close();
    await outcomes.close();
    await ferry.stop();
    throw error;
  });
  try {
    const [warmUp, ...rest] = ferry.cases;
    const cases = rest.slice(0, runs);
    onProgress(`warming up: logging in, ${Math.round(await clerkRun(ferry, outcomes, warmUp, signal))} ms`);
    if (backlog > 0) {
      const inputs = rest.slice(runs, runs + backlog).map((caseNo) => ({ caseNo }));
      const options = { trigger: { via: 'schedule' as const, by: triggeredBy.schedule(BENCH_RECIPE) }, hash: (value: string) => ferry.runtime.secrets.keyedHash(value), attempts: 1 };
      await fanOut(ferry.runtime.queue, ferry.runtime.ledger, ferry.runtime.recipes.get(BENCH_RECIPE), inputs, options);
      onProgress(`queued a backlog of ${backlog} sync runs`);
    }
    const durations: number[] = [];
    for (const caseNo of cases) {
      durations.push(await clerkRun(ferry, outcomes, caseNo, signal));
      if (durations.length % 10 === 0) onProgress(`${durations.length}/${runs} runs, p50 ${percentile(durations, 50)} ms so far`);
    }
    const backlogLeft = backlog > 0 ? await ferry.runtime.queue.getPrioritizedCount() : 0;
    return { runs, backlog, backlogLeft, p50Ms: percentile(durations, 50), p95Ms: percentile(durations, 95), maxMs: percentile(durations, 100) };
  } finally {
    await outcomes.close();
    await worker.close();
    await ocr.close();
    await ferry.stop();
  }
}
