/**
 * The shared services of a Ferry process: Redis (embedded unless REDIS_URL is set),
 * keys, ledger, stats, credentials, the runs and syncs queues, schedule state and the recipes. Every CLI command
 * and test opens one and closes it.
 */
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FerryConfig } from './config.ts';
import { RedisKeys } from './redis/keys.ts';
import { Ledger } from './ledger/ledger.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadRecipes, type RecipeRegistry } from './define/registry.ts';
import { connectRedis, waitForRedis } from './redis/connect.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-redis.ts';
import { RunStats } from './run/stats.ts';
import type { RunJobData } from './run/types.ts';
import { SYNCS_QUEUE, type SyncJobData, type SyncResult } from './scheduler/sync-jobs.ts';
import { SyncState } from './scheduler/sync-state.ts';
import { CredentialStore, loadSecretKey, SecretBox } from './access/secrets.ts';
import { RUNS_QUEUE } from './run/trigger.ts';

/** An open Ferry process. */
export interface Runtime {
  config: FerryConfig;
  redisUrl: string;
  redis: Redis;
  keys: RedisKeys;
  ledger: Ledger;
  stats: RunStats;
  secrets: SecretBox;
  credentials: CredentialStore;
  queue: Queue<RunJobData>;
  /** The queue of syncs (a recipe's list step and fan-out), processed by workers one at a time. */
  syncs: Queue<SyncJobData, SyncResult>;
  /** Watermarks, last fired slots and last sync outcomes per recipe. */
  syncState: SyncState;
  recipes: RecipeRegistry;
  log: Logger;
  close(): Promise<void>;
}

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** Tagged on every log line, e.g. `worker`. */
  role: string;
  /** Called while Redis is not yet reachable. */
  onRedisRetry?: (message: string) => void;
}

/** Opens Redis (starting the embedded one if needed) and the services on top of it. */
export async function openRuntime(config: FerryConfig, options: RuntimeOptions): Promise<Runtime> {
  const log = createLogger({ level: config.logLevel, logDir: join(config.dataDir, 'logs'), base: { role: options.role } });
  // Before any child process starts, so a bad key fails fast instead of leaving Redis running.
  const secrets = new SecretBox(loadSecretKey(config));
  let embedded: EmbeddedRedis | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    embedded = await startEmbeddedRedis(config.dataDir);
    redisUrl = embedded.url;
  }
  await waitForRedis(redisUrl, { onRetry: options.onRedisRetry });
  const redis = connectRedis(redisUrl);
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const keys = new RedisKeys(config.namespace);
  const queue = new Queue<RunJobData>(RUNS_QUEUE, { connection: redis, prefix: keys.prefix });
  const syncs = new Queue<SyncJobData, SyncResult>(SYNCS_QUEUE, { connection: redis, prefix: keys.prefix });
  for (const q of [queue, syncs]) q.on('error', (error) => log.warn({ err: error }, 'queue error'));
  const runtime: Runtime = {
    config, redisUrl, redis, keys, secrets, queue, syncs, log,
    syncState: new SyncState(redis, keys),
    ledger: new Ledger(redis, keys, { leaseMs: config.lockMs }),
    stats: new RunStats(redis, keys),
    credentials: new CredentialStore(redis, keys, secrets),
    recipes: await loadRecipes(),
    close: async () => {
      await queue.close();
      await syncs.close();
      redis.disconnect();
      await embedded?.stop();
      await new Promise<void>((resolve) => log.flush(() => resolve()));
    },
  };
  return runtime;
}
