/**
 * A worker process: one Chromium, a session pool, and three BullMQ workers sharing them:
 * one executes runs, one syncs (one at a time, each after its bots' canaries), one the
 * hourly canary passes. On close (SIGTERM) it stops taking jobs, lets in-flight runs and
 * syncs finish, and closes the browser.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { Browser } from 'playwright-core';
import { ConfigError } from '../config.ts';
import { connectRedis } from '../redis/connect.ts';
import { launchChromium } from '../browser/chromium.ts';
import { SessionPool } from '../browser/session-pool.ts';
import { evidenceStoreFor } from '../evidence/evidence-store.ts';
import type { Ocr } from '../ocr/types.ts';
import { retryDelayMs } from './retry-backoff.ts';
import { handleWorkerErrors } from './worker-errors.ts';
import { faultPointHooks, forgetSessionsNowAndThen } from './fault-points.ts';
import { processRunJob } from './job.ts';
import { RecipeTurns } from './recipe-turns.ts';
import type { RunJobData, RunOutcome } from './types.ts';
import type { Runtime } from '../runtime.ts';
import { executeSync } from '../scheduler/sync-executor.ts';
import { SYNCS_QUEUE, type SyncJobData, type SyncResult } from '../scheduler/sync-jobs.ts';
import { SessionSlots } from '../browser/session-slots.ts';
import { RUNS_QUEUE } from './trigger.ts';
import { startBeating } from '../status/worker-beat.ts';
import { CANARY_QUEUE, type CanaryJobData } from '../canary/canary-jobs.ts';
import { CanaryStore } from '../canary/canary-store.ts';
import { runCanaries } from '../canary/run-canaries.ts';
import type { Bot } from '../define/bot.ts';
import type { Recipe } from '../define/recipe.ts';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** Base URL per bot id; defaults to the config's `FERRY_URL_*`. */
  botUrls?: Record<string, string>;
  /** Runs at once. @defaultValue config.concurrency */
  concurrency?: number;
  /** Session caps per bot id replacing the bots' `maxSessions`, e.g. raised for a benchmark. */
  maxSessions?: Record<string, number>;
  /** An idle session is closed after this long, unless its bot sets `browser.idleMs`. @defaultValue 30000 */
  sessionIdleMs?: number;
  ocr: Ocr;
}

/** A running worker. */
export interface RunningWorker {
  id: string;
  worker: Worker<RunJobData, RunOutcome>;
  /** Executes syncs: a recipe's list step and its fan-out, one at a time. */
  syncWorker: Worker<SyncJobData, SyncResult>;
  pool: SessionPool;
  /**
   * Stops taking jobs, waits for in-flight runs and syncs, then closes the sessions and
   * Chromium. Once `options.force` is aborted it stops waiting: runs still in flight lose
   * their browser and are left for the next worker.
   */
  close(options?: { force?: AbortSignal }): Promise<void>;
}

/** What {@link sessionPoolFor} needs besides the runtime. */
export interface SessionPoolParts {
  browser: Browser;
  ocr: Ocr;
  /** Slot holders are `<workerId>:<bot>:<n>`. */
  workerId: string;
  /** Base URL per bot id over the config's `FERRY_URL_*`. */
  botUrls?: Record<string, string>;
  maxSessions?: Record<string, number>;
  sessionIdleMs?: number;
}

/** A session pool on the runtime's Redis, credentials and bot URLs: a worker's, or a tool's that logs in as a bot (`ferry inspect --bot`). */
export function sessionPoolFor(runtime: Runtime, parts: SessionPoolParts): SessionPool {
  const { config, log } = runtime;
  const botUrls = { ...config.botUrls, ...parts.botUrls };
  return new SessionPool({
    browser: parts.browser,
    slots: new SessionSlots(runtime.redis, runtime.keys, { leaseMs: config.lockMs }),
    circuits: runtime.circuits,
    credentials: (bot) => runtime.credentials.get(bot),
    baseUrl: (bot) => {
      const url = botUrls[bot];
      if (!url) throw new ConfigError(`No base URL for bot "${bot}": set FERRY_URL_${bot.toUpperCase().replaceAll('-', '_')}.`);
      return url;
    },
    ocr: parts.ocr,
    log,
    workerId: parts.workerId,
    contextMaxRuns: config.contextMaxRuns,
    acquireTimeoutMs: config.sessionWaitMs,
    maxSessions: parts.maxSessions,
    idleMs: parts.sessionIdleMs,
  });
}

/** A recipe's bots, each once (two aliases may name one bot). */
function botsOf(recipe: Recipe): Bot<unknown>[] {
  return [...new Map(Object.values(recipe.bots).map((bot) => [bot.id, bot])).values()];
}

/** Starts a worker on the runtime's queue. */
export async function startWorker(runtime: Runtime, options: WorkerOptions): Promise<RunningWorker> {
  const { config, log } = runtime;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const browser = await launchChromium(config.chromiumPath);
  const pool = sessionPoolFor(runtime, { browser, ocr: options.ocr, workerId: id, botUrls: options.botUrls, maxSessions: options.maxSessions, sessionIdleMs: options.sessionIdleMs });
  const evidence = evidenceStoreFor(config, runtime.secrets, log);
  // A store that cannot be reached keeps its old evidence a while longer; the worker starts all the same.
  const sweep = () => evidence.sweep().then(() => {}, (error: unknown) => log.warn({ err: error, where: evidence.where }, 'evidence sweep failed'));
  await sweep();
  const sweeper = setInterval(() => void sweep(), 3_600_000);
  sweeper.unref();
  const stopForgettingSessions = forgetSessionsNowAndThen(config, pool);
  const deps = {
    ledger: runtime.ledger, pool, evidence, stats: runtime.stats, history: runtime.history,
    log, ocr: options.ocr, tasks: runtime.tasks, secrets: runtime.secrets, workerId: id, ...faultPointHooks(config),
    turns: new RecipeTurns(runtime.redis, runtime.keys, runtime.queue),
    holidays: runtime.holidays,
    circuits: runtime.circuits,
    caps: runtime.caps,
  };
  const connection = connectRedis(runtime.redisUrl);
  const workerOptions = {
    connection,
    prefix: runtime.keys.prefix,
    lockDuration: config.lockMs,
    stalledInterval: config.lockMs,
    maxStalledCount: 100,
    name: id,
    settings: { backoffStrategy: retryDelayMs },
  };
  const worker = new Worker<RunJobData, RunOutcome>(
    RUNS_QUEUE,
    async (job, token) => processRunJob(job, runtime.recipes, deps, token),
    { ...workerOptions, concurrency: options.concurrency ?? config.concurrency },
  );
  const syncDeps = {
    ...deps, queue: runtime.queue, syncState: runtime.syncState,
    hash: (value: string) => runtime.secrets.keyedHash(value), attempts: config.attempts,
  };
  const canaries = { pool, store: new CanaryStore(runtime.redis, runtime.keys), log };
  const syncWorker = new Worker<SyncJobData, SyncResult>(
    SYNCS_QUEUE,
    async (job) => {
      const recipe = runtime.recipes.get(job.data.recipe);
      // A screen changed under the recipe's bots is reported before the sync runs into it.
      if (job.attemptsMade === 0) await runCanaries(botsOf(recipe), canaries).catch((error) => log.warn({ err: error }, 'canaries before the sync failed'));
      return executeSync(job, recipe, syncDeps);
    },
    { ...workerOptions, concurrency: 1 },
  );
  const canaryWorker = new Worker<CanaryJobData>(
    CANARY_QUEUE,
    async () => void (await runCanaries(runtime.recipes.botIds().map((bot) => runtime.recipes.bot(bot)), canaries)),
    { ...workerOptions, concurrency: 1 },
  );
  const stopErrorPauses = [
    handleWorkerErrors(canaryWorker, log, 'canary worker error'),
    handleWorkerErrors(syncWorker, log, 'sync worker error'),
    handleWorkerErrors(worker, log, 'worker error'),
  ];
  // Every connection is up before the worker counts as started: BullMQ 5 ends the process when a
  // connection that is still connecting is closed (a stop right after start), re-emitting its
  // failed init as an 'error' after it removed every listener.
  await Promise.all([worker, syncWorker, canaryWorker].map((each) => each.waitUntilReady())).catch(async (error: unknown) => {
    await Promise.all([worker.close(true), syncWorker.close(true), canaryWorker.close(true)]).catch(() => {});
    throw error;
  });
  const beats = startBeating(runtime.redis, runtime.keys, id, () => {
    const contexts = browser.contexts();
    return { contexts: contexts.length, pages: contexts.reduce((sum, context) => sum + context.pages().length, 0), lanes: pool.stats().lanes };
  });
  log.info({ worker: id, concurrency: options.concurrency ?? config.concurrency }, 'worker started');
  return {
    id, worker, syncWorker, pool,
    close: async ({ force } = {}) => {
      clearInterval(sweeper);
      stopForgettingSessions();
      for (const stop of stopErrorPauses) stop();
      const finished = Promise.all([worker.close(), syncWorker.close(), canaryWorker.close()]);
      const forced = force && (force.aborted ? Promise.resolve() : once(force, 'abort'));
      await (forced ? Promise.race([finished, forced]) : finished);
      await pool.close();
      await browser.close();
      await finished;
      await beats.stop();
      connection.disconnect();
      log.info({ worker: id }, 'worker stopped');
    },
  };
}
