/**
 * A whole Ferry for end-to-end tests: real Redis, the fixture systems, a runtime in a
 * fresh namespace and data dir, the fixtures' credentials stored, and in-process workers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startFixtures, type FixtureOptions, type RunningFixtures } from '../../fixtures/start.ts';
import { botUrlEnvOf, storeFixtureCredentials } from '../../fixtures/wiring.ts';
import { runOutcomes } from '../../runner/run/await-outcome.ts';
import type { JobWaiter } from '../../runner/run/job-waiter.ts';
import { parseConfig } from '../../runner/config.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import type { RunOutcome } from '../../runner/run/types.ts';
import { openRuntime, type Runtime } from '../../runner/runtime.ts';
import { triggerRun } from '../../runner/run/trigger.ts';
import { startWorker, type RunningWorker } from '../../runner/run/worker.ts';
import { answersPing } from '../../runner/redis/connect.ts';
import { embeddedRedisDir } from '../../runner/redis/embedded-redis.ts';
import { useRedis, type TestRedis } from './redis.ts';
import { waitFor } from './wait.ts';

export interface FerryHarness {
  runtime: Runtime;
  fixtures: RunningFixtures;
  workers: RunningWorker[];
  ocr: OcrPool;
  /** The Redis this Ferry uses, to kill and restart. */
  redis: TestRedis;
  /** What the runtime said about Redis (not reachable, restarted, unsafe). */
  redisNotices: string[];
  /** The environment a `ferry` child process needs to join this Ferry. */
  env: Record<string, string>;
  trigger(recipe: string, input: unknown): Promise<string>;
  /** Waits for one run's outcome. */
  outcome(jobId: string): Promise<RunOutcome>;
  /** The harness's one waiter for run outcomes, for waiting on many runs at once. */
  outcomes: JobWaiter<RunOutcome>;
}

export interface FerryHarnessOptions {
  fixtures?: FixtureOptions;
  /** In-process workers to start. @defaultValue 1 */
  workers?: number;
  concurrency?: number;
  /** How long the workers keep an idle session (the pool's default unless told): a test whose premise is a live session holds it open. */
  sessionIdleMs?: number;
  /** Variables over the harness's own; a function when they are known only once the file's earlier `beforeAll`s ran. */
  env?: Record<string, string> | (() => Record<string, string>);
  /**
   * Use the embedded Redis that this test process starts under the data dir (no REDIS_URL), and
   * restarts when it dies, instead of a test Redis. `redis.restart()` then only waits for that.
   */
  embeddedRedis?: boolean;
  /**
   * A Redis the test runs itself (a Sentinel topology, say): its URL, read when the harness
   * starts. The harness's `redis` then refuses to kill, restart or freeze it.
   */
  externalRedis?: () => string;
}

/** The {@link TestRedis} of a Redis the test runs itself: the test, not the harness, breaks it. */
function externalTestRedis(url: string): TestRedis {
  const refuse = () => {
    throw new Error('this Redis is the test\'s own: break it through the test\'s topology');
  };
  return { url, dir: '', kill: async () => refuse(), restart: async () => refuse(), freeze: refuse, thaw: refuse };
}

/** The embedded Redis of `dataDir` as a {@link TestRedis}: signals go to its pid; its owner restarts it. */
function embeddedTestRedis(url: string, dataDir: string): TestRedis {
  const pid = () => Number(readFileSync(join(embeddedRedisDir(dataDir), 'redis.pid'), 'utf8'));
  return {
    url, dir: dataDir,
    kill: async () => void process.kill(pid(), 'SIGKILL'),
    restart: () => waitFor('the embedded Redis to answer again', () => answersPing(url)),
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
  };
}

export function useFerry(options: FerryHarnessOptions = {}): () => FerryHarness {
  const redis = options.embeddedRedis || options.externalRedis ? undefined : useRedis();
  let harness: FerryHarness | undefined;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-data-'));
    const fixtures = await startFixtures({ applicants: 300, ...options.fixtures });
    const env: Record<string, string> = {
      ...(redis ? { REDIS_URL: redis().url } : {}),
      ...(options.externalRedis ? { REDIS_URL: options.externalRedis() } : {}),
      FERRY_DATA_DIR: dataDir,
      FERRY_NAMESPACE: `t-${randomBytes(4).toString('hex')}`,
      FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      FERRY_ATTEMPTS: '6',
      ...botUrlEnvOf(fixtures.urls),
      ...(typeof options.env === 'function' ? options.env() : options.env),
    };
    const redisNotices: string[] = [];
    const runtime = await openRuntime(parseConfig(env), { role: 'test', onRedisNotice: (message) => redisNotices.push(message) });
    const outcomes = runOutcomes(runtime.queue, runtime.ledger);
    await storeFixtureCredentials(runtime.credentials);
    const ocr = new OcrPool({ tessdataDir: runtime.config.tessdataDir });
    const workers: RunningWorker[] = [];
    for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await startWorker(runtime, { ocr, concurrency: options.concurrency, sessionIdleMs: options.sessionIdleMs }));
    harness = {
      runtime, fixtures, workers, ocr, env, redisNotices, redis: redis ? redis() : options.externalRedis ? externalTestRedis(runtime.redisUrl) : embeddedTestRedis(runtime.redisUrl, dataDir),
      trigger: async (recipe, input) => {
        const job = await triggerRun(runtime.queue, runtime.recipes.get(recipe), input, {
          trigger: { via: 'cli', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
        });
        return job.id!;
      },
      outcome: (jobId) => outcomes.wait(jobId),
      outcomes,
    };
  });
  afterAll(async () => {
    for (const worker of harness?.workers ?? []) await worker.close();
    await harness?.ocr.close();
    await harness?.outcomes.close();
    await harness?.runtime.close();
    await harness?.fixtures.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!harness) throw new Error('ferry not started');
    return harness;
  };
}
