/**
 * `ferry bench overhead`: what Ferry's machinery costs per run. In one process, one job
 * at a time, a bare BullMQ worker runs no-op jobs, then Ferry's worker runs a recipe
 * whose steps do nothing on an about:blank page: the ledger claim and transitions, run
 * history events, stats, logging, and a trace chunk begun and ended on a real page.
 * With `replicas`, Ferry's runs go once more through a primary with a replica behind Sentinel,
 * without and with `FERRY_REDIS_MIN_REPLICAS=1`: the difference is what `WAIT` costs a run.
 */
import { Queue, Worker } from 'bullmq';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import type { Recipe } from '../runner/define/recipe.ts';
import { RecipeRegistry } from '../runner/define/registry.ts';
import type { Runtime } from '../runner/runtime.ts';
import { runJobSpec } from '../runner/run/trigger.ts';
import { startWorker } from '../runner/run/worker.ts';
import { blankBot, noOpRecipe } from './overhead-recipe.ts';
import { openBenchRuntime } from './private-ferry.ts';
import { SentinelTopology } from './topology/sentinel-topology.ts';
import { unlessStopped } from '../cli/shutdown.ts';

/** Options of {@link runOverheadBench}. */
export interface OverheadBenchOptions {
  /** Jobs, and then runs, to time. @defaultValue 500 */
  runs?: number;
  /** Also time Ferry's runs on a Sentinel topology, without and with `WAIT` for one replica. */
  replicas?: boolean;
  onProgress?: (line: string) => void;
  /** Aborted to stop part way: what the benchmark started is stopped, and the call rejects. */
  signal?: AbortSignal;
}

/** The figures `ferry bench overhead --json` prints, in milliseconds per run. */
export interface OverheadBenchResult {
  runs: number;
  bareMsPerRun: number;
  ferryMsPerRun: number;
  overheadMsPerRun: number;
  /** With `replicas`: a Ferry run through a primary with a replica, without and with `WAIT`, and the difference. */
  replicas?: { noWaitMsPerRun: number; waitMsPerRun: number; waitCostMsPerRun: number };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The no-op recipe as the registry holds recipes (a typed recipe's steps are narrower than `Recipe`'s, as for `loadRecipes`). */
const recipe = noOpRecipe as unknown as Recipe;

/** Adds `count` jobs at once and resolves with the milliseconds until the worker has completed them all. */
async function timeJobs(worker: Worker, add: (count: number, from: number) => Promise<unknown>, count: number, from: number, signal?: AbortSignal): Promise<number> {
  let completed = 0;
  const allDone = new Promise<void>((resolve) => worker.on('completed', () => ++completed === count && resolve()));
  const started = performance.now();
  await add(count, from);
  await unlessStopped(allDone, signal);
  worker.removeAllListeners('completed');
  return performance.now() - started;
}

async function bareMs(runtime: Runtime, runs: number, signal?: AbortSignal): Promise<number> {
  const queue = new Queue('bench-bare', { connection: runtime.redis, prefix: runtime.keys.prefix });
  const connection = runtime.redis.duplicate({ maxRetriesPerRequest: null });
  const worker = new Worker('bench-bare', async () => null, { connection, prefix: runtime.keys.prefix });
  const add = (count: number, from: number) => queue.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'no-op', data: { n: from + i } })));
  try {
    await worker.waitUntilReady();
    await timeJobs(worker, add, 1, 0, signal);
    return await timeJobs(worker, add, runs, 1, signal);
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
  }
}

async function ferryMs(runtime: Runtime, runs: number, signal?: AbortSignal): Promise<number> {
  await runtime.credentials.set(blankBot.id, { username: 'bench', password: 'bench' });
  const ocr = new OcrPool({ tessdataDir: runtime.config.tessdataDir });
  const recipes = new RecipeRegistry(new Map([[recipe.id, recipe]]));
  const running = await startWorker({ ...runtime, recipes }, { ocr, botUrls: { [blankBot.id]: 'about:blank' }, concurrency: 1 });
  const options = { trigger: { via: 'cli' as const, by: 'cli:bench-overhead' as const }, hash: (value: string) => runtime.secrets.keyedHash(value), attempts: 1 };
  const add = (count: number, from: number) => runtime.queue.addBulk(
    Array.from({ length: count }, (_, i) => runJobSpec(recipe, { caseNo: `OB-${from + i}` }, options)));
  try {
    await timeJobs(running.worker, add, 1, 0, signal);
    return await timeJobs(running.worker, add, runs, 1, signal);
  } finally {
    await running.close();
    await ocr.close();
  }
}

/** Runs both halves on a runtime of its own, and closes it after. */
export async function runOverheadBench(config: FerryConfig, options: OverheadBenchOptions = {}): Promise<OverheadBenchResult> {
  const { runs = 500, onProgress = () => {}, signal } = options;
  const runtime = await openBenchRuntime(config, 'overhead');
  let result: OverheadBenchResult;
  try {
    const bare = (await bareMs(runtime, runs, signal)) / runs;
    onProgress(`bare BullMQ: ${round(bare)} ms per job`);
    const ferry = (await ferryMs(runtime, runs, signal)) / runs;
    onProgress(`Ferry: ${round(ferry)} ms per run`);
    result = { runs, bareMsPerRun: round(bare), ferryMsPerRun: round(ferry), overheadMsPerRun: round(ferry - bare) };
  } finally {
    await runtime.close();
  }
  if (!options.replicas) return result;
  const topology = await SentinelTopology.start();
  try {
    const timed: number[] = [];
    for (const minReplicas of [0, 1]) {
      const replicated = await openBenchRuntime({ ...config, redisUrl: topology.url, minReplicas }, 'overhead');
      try {
        timed.push((await ferryMs(replicated, runs, signal)) / runs);
      } finally {
        await replicated.close();
      }
      onProgress(`Ferry through a primary and a replica, ${minReplicas ? 'WAIT for 1 replica' : 'no WAIT'}: ${round(timed.at(-1)!)} ms per run`);
    }
    return { ...result, replicas: { noWaitMsPerRun: round(timed[0]), waitMsPerRun: round(timed[1]), waitCostMsPerRun: round(timed[1] - timed[0]) } };
  } finally {
    await topology.close();
  }
}
