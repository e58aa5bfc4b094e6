/** What every chaos proof sets up the same way: its environment and the fixtures' faults (the control routes are in fixtures/control.ts). */
import type { FixtureOptions, SystemName } from '../../fixtures/start.ts';
import { botUrlEnvOf } from '../../fixtures/wiring.ts';
import type { RedisServer } from '../../runner/redis/redis-server.ts';

/** What {@link chaosEnv} needs. */
export interface ChaosEnvInput {
  dataDir: string;
  redisUrl: string;
  /** The fixture systems' URLs; without them the `FERRY_URL_*` of the caller's environment stand. */
  urls?: Record<SystemName, string>;
  secretKey: string;
  chromiumPath: string;
  tessdataDir: string;
}

/**
 * Short locks so a killed worker's runs come back within seconds; many attempts for a busy target.
 * The wait for a write in flight is cut to match: the harness cuts a link for 2.5 leases (20 s),
 * and TCP's retransmissions after that long a silence come back within about 13 s of the link, so
 * a request a cut host still held lands within some 25 s of its lease's end. A grace too short
 * would show as a record entered twice, which the tally counts.
 */
export function chaosEnv(input: ChaosEnvInput): Record<string, string> {
  return {
    REDIS_URL: input.redisUrl,
    FERRY_DATA_DIR: input.dataDir,
    FERRY_NAMESPACE: 'chaos',
    FERRY_SECRET_KEY: input.secretKey,
    CHROMIUM_PATH: input.chromiumPath,
    FERRY_TESSDATA_DIR: input.tessdataDir,
    FERRY_CONCURRENCY: '2',
    FERRY_ATTEMPTS: '12',
    FERRY_LOCK_MS: '8000',
    FERRY_INFLIGHT_GRACE_MS: '40000',
    ...(input.urls ? botUrlEnvOf(input.urls) : {}),
  };
}

/** The default proof's fixture faults: every system slow; the targets busy now and then, and failing after commit. */
export const CHAOS_FIXTURE_FAULTS: NonNullable<FixtureOptions['faults']> = {
  latencyMs: 30,
  medicalInsurance: { errorRate: 0.05, errorAfterCommitRate: 0.03 },
  housingFund: { errorAfterCommitRate: 0.05, gridDelayMs: 2000 },
};

/** The same faults for one recipe's target system (and latency on every system). */
export const targetFaults = { errorRate: 0.05, errorAfterCommitRate: 0.03 };

/** Seconds since `started` (a `Date.now()`), to a tenth. */
export const secondsSince = (started: number) => Math.round((Date.now() - started) / 100) / 10;

/** The Redis fault of a proof on one Redis: SIGKILL, then a restart from its AOF. */
export const restartRedis = (redis: RedisServer) => ({ what: 'killing Redis (SIGKILL), restarting from its AOF', cause: () => redis.restart() });
