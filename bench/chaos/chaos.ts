/**
 * `ferry chaos`: the fault-injection proof of exactly-once. N runs of the enrollment
 * recipe go through W `ferry worker` processes while the harness kills workers (some
 * inside the window between the target's save and the ledger's DONE; the applicants from
 * outside the city also get a housing-fund account, a second recipe on a fourth system), kills Redis once
 * and restarts it from its AOF, makes the target slow, busy and failing after commit,
 * and logs every session out now and then. Then it compares the target's rows with the
 * input and the ledger.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { eligibleCases } from '../../fixtures/cases.ts';
import { startFixtures, type RunningFixtures } from '../../fixtures/start.ts';
import { storeFixtureCredentials } from '../../fixtures/wiring.ts';
import { parseConfig } from '../../runner/config.ts';
import { openRuntime, type Runtime } from '../../runner/runtime.ts';
import { triggerRun } from '../../runner/run/trigger.ts';
import { housingFundAccountsById, targetRowsById } from '../../fixtures/inspect.ts';
import { postFixtureJson } from '../../fixtures/housing-fund/https-client.ts';
import { chaosEnv } from './chaos-setup.ts';
import { RedisServer } from '../../runner/redis/redis-server.ts';
import { tallyChaos, type ChaosCase, type ChaosTally } from './tally.ts';
import { WorkerFleet } from './worker-fleet.ts';

export const CHAOS_RECIPE = 'flexible-worker-enrollment';
/** The second recipe under chaos: the applicants from outside the city also get a housing-fund account. */
export const CHAOS_HOUSING_RECIPE = 'housing-fund-account-opening';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** Where Redis, logs and evidence go; the caller owns (and removes) it. */
  dataDir: string;
  /** @defaultValue 1000 */
  records?: number;
  /** Worker processes. @defaultValue 3 */
  workers?: number;
  /** Worker deaths to cause: half `kill -9` at random, half at the fault point. @defaultValue 20 */
  kills?: number;
  /** Every fixture session is logged out this often. @defaultValue 120 */
  sessionExpirySeconds?: number;
  chromiumPath: string;
  tessdataDir: string;
  /** Gives up waiting for the queue to drain after this long. @defaultValue 60 min */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
  /** Stops waiting (Ctrl-C); the harness then tallies what it has and tears down. */
  signal?: AbortSignal;
}

/** The figures `ferry chaos --json` prints. */
export interface ChaosResult extends Omit<ChaosTally, 'reviewReasons' | 'unexpectedRejections' | 'failed'> {
  records: number;
  stuckActive: number;
  kills: number;
  redisRestarts: number;
  seconds: number;
  failed: number;
  unexpectedRejections: number;
  randomKills: number;
  inWindowKills: number;
  crashes: number;
  reviewReasons: Record<string, number>;
  /** The housing-fund openings, tallied the same way against the housing-fund accounts. */
  housingFund: Omit<ChaosTally, 'reviewReasons'> & { records: number };
}

/** Runs the whole proof and tears everything down; throws only when it could not run. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { records = 1000, workers = 3, kills = 20, sessionExpirySeconds = 120, onProgress = () => {} } = options;
  const started = Date.now();
  const redis = await RedisServer.start(join(options.dataDir, 'redis'));
  let fixtures: RunningFixtures | undefined;
  let runtime: Runtime | undefined;
  let fleet: WorkerFleet | undefined;
  let expiry: NodeJS.Timeout | undefined;
  try {
    fixtures = await startFixtures({
      applicants: Math.max(3000, records * 3),
      faults: {
        latencyMs: 30,
        medicalInsurance: { errorRate: 0.05, errorAfterCommitRate: 0.03 },
        housingFund: { errorAfterCommitRate: 0.05, gridDelayMs: 2000 },
      },
    });
    const env = chaosEnv({ ...options, redisUrl: redis.url, urls: fixtures.urls, secretKey: randomBytes(32).toString('hex') });
    runtime = await openRuntime(parseConfig(env), { role: 'chaos' });
    await storeFixtureCredentials(runtime.credentials);
    const picked = eligibleCases(fixtures.applicants).slice(0, records);
    const recipe = runtime.recipes.get(CHAOS_RECIPE);
    const housing = runtime.recipes.get(CHAOS_HOUSING_RECIPE);
    const outsiders = picked.filter((a) => a.outsideCity);
    const trigger = (of: typeof recipe, caseNo: string) => triggerRun(runtime!.queue, of, { caseNo }, {
      trigger: { via: 'cli', by: 'cli:chaos' }, hash: (value) => runtime!.secrets.keyedHash(value), attempts: runtime!.config.attempts,
    });
    const jobs = [];
    for (const a of picked) jobs.push(await trigger(recipe, a.caseNo));
    const openings = [];
    for (const a of outsiders) openings.push(await trigger(housing, a.caseNo));
    onProgress(`chaos: ${jobs.length} + ${openings.length} housing-fund runs enqueued; starting ${workers} workers`);
    fleet = new WorkerFleet({ ...process.env, ...env } as Record<string, string>, options.dataDir);
    fleet.start(workers);
    const { housingFund: housingUrl, ...plainUrls } = fixtures.urls;
    expiry = setInterval(() => {
      for (const url of Object.values(plainUrls)) void fetch(`${url}/__fixture/expire-sessions`, { method: 'POST' }).catch(() => {});
      void postFixtureJson(`${housingUrl}/__fixture/expire-sessions`).catch(() => {});
    }, sessionExpirySeconds * 1000);
    const redisRestarts = await drain(runtime, fleet, redis, {
      records: jobs.length + openings.length, keyIds: jobs.map((job) => job.data.keyId), kills, timeoutMs: options.timeoutMs ?? 3_600_000, onProgress, signal: options.signal,
    });
    const stuckActive = await runtime.queue.getActiveCount();
    const cases: ChaosCase[] = picked.map((a) => ({ idNumber: a.idNumber, mayBeRejected: Boolean(a.defect) || a.outsideCity }));
    const entries = await Promise.all(jobs.map((job) => runtime!.ledger.get(CHAOS_RECIPE, job.data.keyId)));
    const tally = tallyChaos(cases, entries, await targetRowsById(fixtures.urls.medicalInsurance));
    const { reviewReasons, ...counts } = tally;
    const openingEntries = await Promise.all(openings.map((job) => runtime!.ledger.get(CHAOS_HOUSING_RECIPE, job.data.keyId)));
    const accounts = new Map([...(await housingFundAccountsById(housingUrl))].map(([id, rows]) => [id, rows.map((row) => ({ serialNo: row.accountNo }))]));
    const { reviewReasons: openingReviewReasons, ...housingFund } = tallyChaos(
      outsiders.map((a) => ({ idNumber: a.idNumber, mayBeRejected: Boolean(a.defect) })), openingEntries, accounts,
    );
    return {
      records: jobs.length, entered: counts.entered, rejected: counts.rejected, needsReview: counts.needsReview,
      lost: counts.lost, duplicated: counts.duplicated, stuckActive, ledgerMismatches: counts.ledgerMismatches,
      kills: fleet.counts.randomKills + fleet.counts.inWindowKills, redisRestarts,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      failed: counts.failed, unexpectedRejections: counts.unexpectedRejections,
      randomKills: fleet.counts.randomKills, inWindowKills: fleet.counts.inWindowKills, crashes: fleet.counts.crashes,
      reviewReasons: mergeCounts(reviewReasons, openingReviewReasons),
      housingFund: { records: openings.length, ...housingFund },
    };
  } finally {
    clearInterval(expiry);
    await fleet?.stop();
    await runtime?.close();
    await fixtures?.stop();
    await redis.stop();
  }
}

interface DrainPlan {
  records: number;
  keyIds: string[];
  kills: number;
  timeoutMs: number;
  onProgress: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Waits until every run has finished, causing the kills and the Redis restart on the way:
 * kills spread over the first 60 % of the runs, alternately a random `kill -9` and arming a
 * worker that is writing right now (so it dies between save and ledger); Redis at half way.
 */
async function drain(runtime: Runtime, fleet: WorkerFleet, redis: RedisServer, plan: DrainPlan): Promise<number> {
  const killAt = Array.from({ length: plan.kills }, (_, i) => Math.floor(((i + 1) / (plan.kills + 1)) * 0.6 * plan.records));
  let kills = 0;
  let redisRestarts = 0;
  let lastNote = 0;
  const deadline = Date.now() + plan.timeoutMs;
  while (Date.now() < deadline && !plan.signal?.aborted) {
    const counts = await runtime.queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    const finished = counts.completed + counts.failed;
    if (finished >= plan.records) return redisRestarts;
    if (kills < plan.kills && finished >= killAt[kills] && !fleet.armedAlive) {
      if (kills % 2 === 0) {
        fleet.killRandom();
        kills++;
      } else if (await armAWriter(runtime, fleet, plan.keyIds)) {
        kills++;
      }
    }
    if (redisRestarts === 0 && finished >= plan.records / 2) {
      plan.onProgress(`chaos: killing Redis (SIGKILL) at ${finished} runs finished, restarting from its AOF`);
      await redis.restart();
      redisRestarts++;
    }
    if (Date.now() - lastNote > 10_000) {
      lastNote = Date.now();
      plan.onProgress(`chaos: ${finished}/${plan.records} finished, ${counts.active} active, ${counts.waiting + counts.delayed} waiting; ` +
        `kills ${fleet.counts.randomKills} random + ${fleet.counts.inWindowKills} in the window, ${fleet.live} workers up`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  plan.onProgress(plan.signal?.aborted ? 'chaos: stopped; counting what finished' : 'chaos: gave up waiting for the queue to drain');
  return redisRestarts;
}

/** Arms the worker that holds a record in SUBMITTING (its pid is in the ledger's owner: `<host>-<pid>-<id>/…`). */
async function armAWriter(runtime: Runtime, fleet: WorkerFleet, keyIds: string[]): Promise<boolean> {
  for (const keyId of keyIds) {
    const entry = await runtime.ledger.get(CHAOS_RECIPE, keyId);
    if (entry?.state !== 'SUBMITTING' || !entry.owner) continue;
    const pid = Number(entry.owner.split('/')[0].split('-').at(-2));
    if (fleet.arm(pid)) return true;
  }
  return false;
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [key, count] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + count;
  return merged;
}
