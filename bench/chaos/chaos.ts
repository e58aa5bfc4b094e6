/**
 * `ferry chaos`: the fault-injection proof of exactly-once on the fixture systems. N runs of
 * the enrollment recipe (and, for the applicants from outside the city, a housing-fund
 * account opening on a fourth system) go through the faults of ./fault-run.ts, against
 * targets made slow, busy and failing after commit, while a share of the runs ask a person
 * (./chaos-answerer.ts). Then it compares each target's rows,
 * read through the fixtures' inspection route, with the input and the ledger. It runs on one
 * Redis, or on a Sentinel-watched primary and replica with the workers on hosts of their own
 * (./chaos-place.ts). `ferry chaos --recipe <id>` is ./recipe-chaos.ts.
 */
import { randomBytes } from 'node:crypto';
import { eligibleCases } from '../../fixtures/cases.ts';
import { startFixtures, type RunningFixtures } from '../../fixtures/start.ts';
import { storeFixtureCredentials } from '../../fixtures/wiring.ts';
import { parseConfig } from '../../runner/config.ts';
import { openRuntime, type Runtime } from '../../runner/runtime.ts';
import { housingFundAccountsById, targetRowsById } from '../../fixtures/inspect.ts';
import { CHAOS_FIXTURE_FAULTS, chaosEnv, secondsSince } from './chaos-setup.ts';
import { expireFixtureSessions } from '../../fixtures/control.ts';
import { openChaosPlace, type ChaosPlace, type ChaosTopology } from './chaos-place.ts';
import { runUnderFaults } from './fault-run.ts';
import { countInLogs, tallyChaos, type ChaosCase, type ChaosTally } from './tally.ts';
import { startChaosAnswerer, type ChaosAnswerer } from './chaos-answerer.ts';

export const CHAOS_RECIPE = 'flexible-worker-enrollment';
/** The second recipe under chaos: the applicants from outside the city also get a housing-fund account. */
export const CHAOS_HOUSING_RECIPE = 'housing-fund-account-opening';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** Where Redis, logs and evidence go; the caller owns (and removes) it. */
  dataDir: string;
  /** @defaultValue 1000 */
  records?: number;
  /** Worker processes. @defaultValue 3, or one per host */
  workers?: number;
  /** @defaultValue 'single' */
  topology?: ChaosTopology;
  /** With the `sentinel` topology: worker hosts. @defaultValue 3 */
  hosts?: number;
  /** Worker deaths to cause: half `kill -9` at random, half at the fault point. @defaultValue 20 */
  kills?: number;
  /** Every fixture session is logged out this often. @defaultValue 120 */
  sessionExpirySeconds?: number;
  /** Share of the outsiders whose permit number will not read, so their runs ask a person (a scripted answerer). @defaultValue 0.2 */
  askShare?: number;
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
  topology: ChaosTopology;
  /** Worker hosts (0 on the `single` topology, where the workers share this machine's network). */
  hosts: number;
  /** Primaries SIGKILLed so Sentinel promoted the replica. */
  failOvers: number;
  /** Hosts whose link was cut for a while. */
  cuts: number;
  /** Runs whose lease lapsed unheard (their host cut off) and whose browser their worker closed. */
  fencedRuns: number;
  /** Workers still up long after the final SIGTERM, SIGKILLed by the harness. */
  hungOnStop: number;
  seconds: number;
  failed: number;
  unexpectedRejections: number;
  /** Questions the scripted answerer answered. */
  asked: number;
  randomKills: number;
  inWindowKills: number;
  crashes: number;
  reviewReasons: Record<string, number>;
  /** The housing-fund openings, tallied the same way against the housing-fund accounts. */
  housingFund: Omit<ChaosTally, 'reviewReasons'> & { records: number };
}

/** Runs the whole proof and tears everything down; throws only when it could not run. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { records = 1000, kills = 20, sessionExpirySeconds = 120, onProgress = () => {}, topology = 'single', hosts = 3 } = options;
  const workers = options.workers ?? (topology === 'sentinel' ? hosts : 3);
  const started = Date.now();
  const place: ChaosPlace = await openChaosPlace(topology, hosts, options.dataDir);
  let fixtures: RunningFixtures | undefined;
  let runtime: Runtime | undefined;
  let answerer: ChaosAnswerer | undefined;
  try {
    fixtures = await startFixtures({ host: place.fixturesHost, applicants: Math.max(3000, records * 3), faults: CHAOS_FIXTURE_FAULTS });
    const env = { ...chaosEnv({ ...options, redisUrl: place.redisUrl, urls: fixtures.urls, secretKey: randomBytes(32).toString('hex') }), ...place.env };
    runtime = await openRuntime(parseConfig(env), { role: 'chaos' });
    await storeFixtureCredentials(runtime.credentials);
    const picked = eligibleCases(fixtures.applicants).slice(0, records);
    const outsiders = picked.filter((a) => a.outsideCity);
    const plans = [
      { recipe: runtime.recipes.get(CHAOS_RECIPE), inputs: picked.map((a) => ({ caseNo: a.caseNo })) },
      { recipe: runtime.recipes.get(CHAOS_HOUSING_RECIPE), inputs: outsiders.map((a) => ({ caseNo: a.caseNo })) },
    ];
    const urls = fixtures.urls;
    answerer = await startChaosAnswerer(runtime, urls.residence, outsiders, options.askShare ?? 0.2);
    const outcome = await runUnderFaults({
      runtime, redisFault: place.redisFault, hosts: place.hosts, dataDir: options.dataDir, workerEnv: { ...process.env, ...env } as Record<string, string>, plans, workers, kills,
      timeoutMs: options.timeoutMs ?? 3_600_000, sessionExpirySeconds, expireSessions: () => void expireFixtureSessions(urls), onProgress, signal: options.signal,
      waitingForPeople: answerer.busy,
    });
    const [entries, openingEntries] = outcome.entries;
    const cases: ChaosCase[] = picked.map((a) => ({ key: a.idNumber, mayBeRejected: Boolean(a.defect) || a.outsideCity }));
    const { reviewReasons, ...counts } = tallyChaos(cases, entries, await targetRowsById(urls.medicalInsurance));
    const accounts = new Map([...(await housingFundAccountsById(urls.housingFund))].map(([id, rows]) => [id, rows.map((row) => ({ serialNo: row.accountNo }))]));
    const { reviewReasons: openingReviewReasons, ...housingFund } = tallyChaos(
      outsiders.map((a) => ({ key: a.idNumber, mayBeRejected: Boolean(a.defect) })), openingEntries, accounts,
    );
    const { fleet } = outcome;
    return {
      records: entries.length, entered: counts.entered, rejected: counts.rejected, needsReview: counts.needsReview,
      lost: counts.lost, duplicated: counts.duplicated, stuckActive: outcome.stuckActive, ledgerMismatches: counts.ledgerMismatches,
      kills: fleet.randomKills + fleet.inWindowKills + fleet.cuts, redisRestarts: topology === 'single' ? outcome.redisFaults : 0,
      topology, hosts: place.hosts ? hosts : 0, failOvers: topology === 'sentinel' ? outcome.redisFaults : 0, cuts: fleet.cuts,
      fencedRuns: countInLogs(options.dataDir, LEASE_LAPSED), hungOnStop: fleet.hungOnStop,
      seconds: secondsSince(started),
      failed: counts.failed, unexpectedRejections: counts.unexpectedRejections, asked: answerer.answered(),
      randomKills: fleet.randomKills, inWindowKills: fleet.inWindowKills, crashes: fleet.crashes,
      reviewReasons: mergeCounts(reviewReasons, openingReviewReasons),
      housingFund: { records: openingEntries.length, ...housingFund },
    };
  } finally {
    await answerer?.stop();
    await runtime?.close();
    await fixtures?.stop();
    await place.close();
  }
}

/** What a worker logs when it closes a run's browser because the run's lease may have lapsed (runner/run/executor.ts). */
const LEASE_LAPSED = 'lease may have lapsed';

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [key, count] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + count;
  return merged;
}
