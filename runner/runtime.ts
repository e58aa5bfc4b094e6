/**
 * The shared services of a Ferry process: Redis (embedded unless REDIS_URL is set),
 * keys, ledger, stats, run history, credentials, tasks, the runs and syncs queues, schedule state and the recipes. Every CLI command
 * and test opens one and closes it.
 */
import { AlertSettings } from './alerts/alert-settings.ts';
import { BotCircuits } from './guard/bot-circuits.ts';
import { RunCaps } from './guard/run-caps.ts';
import { loadHolidayCalendar, NO_HOLIDAYS, type HolidayCalendar } from './guard/holiday-calendar.ts';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FerryConfig } from './config.ts';
import { RedisKeys } from './redis/keys.ts';
import { Ledger } from './ledger/ledger.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadRecipes, type RecipeRegistry } from './define/registry.ts';
import { connectRedis, waitForRedis } from './redis/connect.ts';
import { checkDurability } from './redis/durability.ts';
import { checkReplicas } from './redis/replicas.ts';
import { describeRedisUrl } from './redis/redis-url.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-redis.ts';
import { RunStats } from './run/stats.ts';
import { RunHistory } from './run/history.ts';
import type { RunJobData } from './run/types.ts';
import { SYNCS_QUEUE, type SyncJobData, type SyncResult } from './scheduler/sync-jobs.ts';
import { SyncState } from './scheduler/sync-state.ts';
import { CredentialStore, loadSecretKey, SecretBox } from './access/secrets.ts';
import { RUNS_QUEUE } from './run/trigger.ts';
import { TaskStore } from './ask/task-store.ts';

/** An open Ferry process. */
export interface Runtime {
  config: FerryConfig;
  /** The Redis URL, password included (see `redis/redis-url.ts`); show it only through `describeRedisUrl`. */
  redisUrl: string;
  redis: Redis;
  keys: RedisKeys;
  ledger: Ledger;
  stats: RunStats;
  /** Runs as people see them: who triggered what, each run's timeline and outcome. */
  history: RunHistory;
  secrets: SecretBox;
  credentials: CredentialStore;
  /** Questions runs put to people, and their answers. */
  tasks: TaskStore;
  /** Alert channels (sealed) and rules, as admins configure them. */
  alerts: AlertSettings;
  /** The holiday calendar the bots' opening hours follow. */
  holidays: HolidayCalendar;
  /** Each bot's circuit breaker (paused after refused logins, open while its system does not answer). */
  circuits: BotCircuits;
  /** The runs started against each capped bot in the last minute. */
  caps: RunCaps;
  queue: Queue<RunJobData>;
  /** The queue of syncs (a recipe's list step and fan-out), processed by workers one at a time. */
  syncs: Queue<SyncJobData, SyncResult>;
  /** Watermarks, last fired slots and last sync outcomes per recipe. */
  syncState: SyncState;
  recipes: RecipeRegistry;
  log: Logger;
  close(): Promise<void>;
}

/** How long services (worker, scheduler, dashboard) wait for Redis at start; one-shot commands wait 5 s. */
export const SERVICE_REDIS_PATIENCE_MS = 60_000;

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** Tagged on every log line, e.g. `worker`. */
  role: string;
  /** Told what a person watching should know about Redis: not reachable yet, restarted, unsafe. */
  onRedisNotice?: (message: string) => void;
  /**
   * How long to wait for Redis to answer at start before giving up with `RedisUnreachableError`:
   * short for one-shot commands, longer for services. @defaultValue 5000
   */
  redisPatienceMs?: number;
}

/**
 * Loads the recipes, then opens Redis (starting the embedded one if needed) and the services
 * on top of it. Whatever fails on the way closes what was already opened (connections, the
 * embedded Redis), so a failed start never leaves a process hanging. Recipes that did not
 * load are logged (warn) and listed by `recipes.broken()`; the rest work as usual.
 */
export async function openRuntime(config: FerryConfig, options: RuntimeOptions): Promise<Runtime> {
  const log = createLogger({ level: config.logLevel, logDir: join(config.dataDir, 'logs'), base: { role: options.role } });
  // Before any child process starts, so a bad key or a clash of recipe ids fails fast instead of leaving Redis running.
  const secrets = new SecretBox(loadSecretKey(config));
  const recipes = await loadRecipes(config.projectDirs);
  for (const broken of recipes.broken()) log.warn({ recipe: broken.id, file: broken.file, error: broken.error }, 'recipe did not load');
  const notice = (message: string) => {
    log.warn(message);
    options.onRedisNotice?.(message);
  };
  const opened: (() => Promise<void> | void)[] = [];
  /** Closes, newest first, everything opened so far; every close is tried, and the first failure is thrown after. */
  const closeOpened = async () => {
    let failure: unknown;
    for (const close of opened.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  };
  try {
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const embedded: EmbeddedRedis = await startEmbeddedRedis(config.dataDir, { onNotice: notice });
      opened.push(() => embedded.stop());
      redisUrl = embedded.url;
    }
    const where = describeRedisUrl(redisUrl);
    const redis = connectRedis(redisUrl);
    opened.push(() => redis.disconnect());
    redis.on('error', (error) => log.warn({ err: error, redis: where }, 'redis connection error'));
    await waitForRedis(redisUrl, { patienceMs: options.redisPatienceMs, onRetry: options.onRedisNotice });
    await checkDurability(redis, where, { allowUnsafe: config.allowUnsafeRedis, onUnsafe: notice });
    if (config.minReplicas > 0) await checkReplicas(redis, redisUrl, where, { min: config.minReplicas, allowUnsafe: config.allowUnsafeRedis, onUnsafe: notice });
    const keys = new RedisKeys(config.namespace);
    const queue = new Queue<RunJobData>(RUNS_QUEUE, { connection: redis, prefix: keys.prefix });
    opened.push(() => queue.close());
    const syncs = new Queue<SyncJobData, SyncResult>(SYNCS_QUEUE, { connection: redis, prefix: keys.prefix });
    opened.push(() => syncs.close());
    for (const q of [queue, syncs]) q.on('error', (error) => log.warn({ err: error }, 'queue error'));
    return {
      config, redisUrl, redis, keys, secrets, queue, syncs, log, recipes,
      syncState: new SyncState(redis, keys),
      ledger: new Ledger(redis, keys, { leaseMs: config.lockMs, inFlightGraceMs: config.inFlightGraceMs, replicas: { min: config.minReplicas, waitMs: config.replicaWaitMs } }),
      stats: new RunStats(redis, keys),
      history: new RunHistory(redis, keys, config.recordRetentionDays),
      credentials: new CredentialStore(redis, keys, secrets),
      tasks: new TaskStore(redis, keys, secrets, config.recordRetentionDays),
      alerts: new AlertSettings(redis, keys, secrets),
      circuits: new BotCircuits(redis, keys),
      caps: new RunCaps(redis, keys),
      holidays: config.holidaysFile ? loadHolidayCalendar(config.holidaysFile) : NO_HOLIDAYS,
      close: closeOpened,
    };
  } catch (error) {
    await closeOpened().catch(() => {});
    throw error;
  }
}
