/**
 * `ferry bench soak`: many runs through one `ferry worker` child process, sampling the
 * memory of the worker and of its Chromium every few hundred runs. Memory should level
 * off after warm-up (contexts and OCR workers are recycled), and at the end the worker's
 * heartbeat should show no browser contexts or pages beyond its session lanes.
 */
import type { ChildProcess } from 'node:child_process';
import type { FerryConfig } from '../runner/config.ts';
import { readBeats, type WorkerBeat } from '../runner/status/worker-beat.ts';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';
import { startPrivateFerry, type PrivateFerry } from './private-ferry.ts';
import { treeRss, type TreeRss } from './soak-memory.ts';

/** Options of {@link runSoakBench}. */
export interface SoakBenchOptions {
  /** Runs through the worker, each a different case. @defaultValue 10000 */
  runs?: number;
  /** Runs between memory samples. @defaultValue 500 */
  sampleEvery?: number;
  /** Called with each sample's line. */
  onProgress?: (line: string) => void;
  /** Aborted to stop part way: the worker and the private Ferry are stopped, and the call rejects. */
  signal?: AbortSignal;
}

/** The figures `ferry bench soak --json` prints; memory in MiB. */
export interface SoakBenchResult {
  runs: number;
  /** The run count of the start sample: 2000, or about a fifth of the runs when fewer than 10000. */
  warmUpRuns: number;
  workerRssStartMb: number;
  workerRssEndMb: number;
  /** The worker's JavaScript heap in use (main thread) at the start and end samples, from its heartbeat. */
  workerHeapStartMb: number;
  workerHeapEndMb: number;
  chromiumRssStartMb: number;
  chromiumRssEndMb: number;
  /** Growth from the start sample to the end, in percent. Target ≤ 10. */
  workerGrowthPct: number;
  workerHeapGrowthPct: number;
  chromiumGrowthPct: number;
  /** From the worker's last heartbeat after the runs: pages, contexts and session lanes open. */
  openPagesEnd: number;
  openContextsEnd: number;
  openSessionsEnd: number;
  runsFailed: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const growth = (from: number, to: number) => (from === 0 ? 0 : Math.round(((to - from) / from) * 1000) / 10);

/** The worker's JavaScript heap from its latest heartbeat, in MiB. */
async function heapMb(ferry: PrivateFerry, pid: number): Promise<number> {
  return (await readBeats(ferry.runtime.redis, ferry.runtime.keys)).find((beat) => beat.pid === pid)?.heapMb ?? 0;
}

/** Resolves once `count` runs have finished (completed or failed); throws if the worker died. */
async function finished(ferry: PrivateFerry, worker: ChildProcess, count: number, signal?: AbortSignal): Promise<number> {
  for (;;) {
    signal?.throwIfAborted();
    const { completed, failed } = await ferry.runtime.queue.getJobCounts('completed', 'failed');
    if (completed + failed >= count) return failed;
    if (worker.exitCode !== null || worker.signalCode !== null) throw new Error(`the worker exited (${worker.exitCode ?? worker.signalCode}) after ${completed + failed} runs`);
    await sleep(500);
  }
}

/** The worker's first heartbeat sent after `since`. */
async function beatAfter(ferry: PrivateFerry, pid: number, since: number, signal?: AbortSignal): Promise<WorkerBeat> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    signal?.throwIfAborted();
    const beat = (await readBeats(ferry.runtime.redis, ferry.runtime.keys)).find((b) => b.pid === pid && b.at > since);
    if (beat) return beat;
    await sleep(250);
  }
  throw new Error('the worker sent no heartbeat for two minutes');
}

/** Runs the benchmark on a private Ferry with a `ferry worker` child, and stops both after. */
export async function runSoakBench(config: FerryConfig, options: SoakBenchOptions = {}): Promise<SoakBenchResult> {
  const { runs = 10_000, sampleEvery = 500, onProgress = () => {}, signal } = options;
  const warmUpRuns = runs >= 10_000 ? 2000 : Math.floor(runs / 5 / sampleEvery) * sampleEvery;
  const started = Date.now();
  const ferry = await startPrivateFerry(config, 'soak', runs);
  const worker = spawnWorker(ferry.env);
  try {
    const cases = ferry.cases.slice(0, runs);
    if (cases.length < runs) throw new Error(`the fixtures hold ${cases.length} enterable cases, fewer than ${runs}`);
    await beatAfter(ferry, worker.pid!, 0, signal);
    let fed = 0;
    const feed = async (upTo: number) => {
      await Promise.all(cases.slice(fed, upTo).map((caseNo) => ferry.trigger(caseNo, 'cli')));
      fed = Math.max(fed, upTo);
    };
    await feed(2 * sampleEvery);
    const samples = new Map<number, TreeRss & { heapMb: number }>();
    const sampleNow = async () => ({ ...treeRss(worker.pid!), heapMb: await heapMb(ferry, worker.pid!) });
    if (warmUpRuns === 0) samples.set(0, await sampleNow());
    let failed = 0;
    for (let mark = Math.min(sampleEvery, runs); ; mark = Math.min(mark + sampleEvery, runs)) {
      failed = await finished(ferry, worker, mark, signal);
      await feed(mark + 2 * sampleEvery);
      const sample = await sampleNow();
      samples.set(mark, sample);
      onProgress(`${mark}/${runs} runs (${failed} failed), ${Math.round((Date.now() - started) / 1000)} s: worker ${sample.workerMb} MB (heap ${sample.heapMb} MB), Chromium ${sample.chromiumMb} MB in ${sample.chromiumProcesses} processes`);
      if (mark === runs) break;
    }
    const beat = await beatAfter(ferry, worker.pid!, Date.now(), signal);
    const start = samples.get(warmUpRuns)!;
    const end = samples.get(runs)!;
    return {
      runs, warmUpRuns,
      workerRssStartMb: start.workerMb, workerRssEndMb: end.workerMb,
      workerHeapStartMb: start.heapMb, workerHeapEndMb: end.heapMb,
      chromiumRssStartMb: start.chromiumMb, chromiumRssEndMb: end.chromiumMb,
      workerGrowthPct: growth(start.workerMb, end.workerMb), chromiumGrowthPct: growth(start.chromiumMb, end.chromiumMb),
      workerHeapGrowthPct: growth(start.heapMb, end.heapMb),
      openPagesEnd: beat.pages, openContextsEnd: beat.contexts, openSessionsEnd: beat.lanes,
      runsFailed: failed, seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await stopWorker(worker);
    await ferry.stop();
  }
}
