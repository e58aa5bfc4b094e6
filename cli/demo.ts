/**
 * The demo on the embedded default: a private redis-server, the fixture systems, a
 * worker, the dashboard with a staff, an ops and an admin user (fresh random passwords),
 * and a batch of cases moved acceptance → medical-insurance, whose applicants from outside the city
 * also get a housing-fund account (a second recipe, a fourth system). While the batch is queued,
 * one more case is triggered the way a window clerk would, and goes first. Starts from
 * empty fixture data and its own namespace, so it gives the same outcome every time. It
 * owns its data dir while it runs (see runner/data-dir-lock.ts): it wipes the `demo`
 * namespace, so a second demo must not.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { eligibleCases } from '../fixtures/cases.ts';
import type { Applicant } from '../fixtures/data/applicants.ts';
import { caseListWorkbook } from '../fixtures/sample-workbooks.ts';
import { housingFundAccountsById, targetRowsById } from '../fixtures/inspect.ts';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { botUrlsOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import { runOutcomes } from '../runner/run/await-outcome.ts';
import type { FerryConfig } from '../runner/config.ts';
import { DataDirInUseError, isRunning, lockDataDir } from '../runner/data-dir-lock.ts';
import { readBeats } from '../runner/status/worker-beat.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { counterOf, type OutcomeCounter } from '../runner/run/stats.ts';
import { triggeredBy, type RunOutcome } from '../runner/run/types.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { runJobId } from '../runner/run/key.ts';
import { triggerRun, type TriggerOptions } from '../runner/run/trigger.ts';
import { fanOut } from '../runner/scheduler/fan-out.ts';
import { generatePassword, UserStore, type Role } from '../runner/access/users.ts';
import { startWorker, type RunningWorker } from '../runner/run/worker.ts';
import { note } from './output.ts';
import { unlessStopped } from './shutdown.ts';
import { clerkAtTheCounter, makePermitsUnreadable } from './demo-questions.ts';

export const DEMO_RECIPE = 'flexible-worker-enrollment';
/** The demo's second recipe: the batch's applicants from outside the city also get a housing-fund account. */
export const DEMO_HOUSING_RECIPE = 'housing-fund-account-opening';
/** The namespace the demo resets and fills; `FERRY_NAMESPACE=demo ferry status` shows it. */
export const DEMO_NAMESPACE = 'demo';

/** The demo's result line. */
export interface DemoSummary {
  records: number;
  entered: number;
  alreadyPresent: number;
  rejected: number;
  failed: number;
  /** Runs that asked a person (an unreadable permit number); answered ones are counted again by how they ended. */
  asked: number;
  /** Runs still waiting for an answer at the end (without `autoAnswer`). */
  waiting: number;
  targetRows: number;
  duplicateRows: number;
  seconds: number;
  /** Runs settled per second (both recipes), from the first trigger to the last outcome. */
  recordsPerSecond: number;
  /** The housing-fund openings for the batch's applicants from outside the city. */
  housingFund: { records: number; opened: number; rejected: number; failed: number; accounts: number; duplicateAccounts: number };
  /** The clerk's run, triggered while the batch was queued: its first outcome and seconds from trigger to outcome. */
  clerk: { caseNo: string; outcome: RunOutcome; seconds: number; queuedBehind: number };
}

/** The demo's dashboard: its URL and a log-in per role. */
export interface DemoDashboard {
  dashboard: string;
  users: Record<Role, { user: string; password: string }>;
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The dashboard's port; when it is taken, any free one. @defaultValue 8080 */
  dashboardPort?: number;
  /** Hears the dashboard's URL and users as soon as it answers, before the batch runs. */
  onDashboard?: (dashboard: DemoDashboard) => void;
  /** Aborted to stop the batch: runs in flight finish, the rest stay queued, and `runDemo` throws {@link DemoStoppedError}. */
  stopping?: AbortSignal;
  /** Aborted to stop at once: closing no longer waits for runs in flight. */
  forced?: AbortSignal;
  /** Share (0 to 1) of the batch's permit number images drawn blank, so their runs ask a person. @defaultValue 0 */
  unreadable?: number;
  /** Answer each question as the clerk would (from the applicant's permit card) instead of leaving it in the inbox. */
  autoAnswer?: boolean;
}

/** Raised by {@link runDemo} when it was stopped before its batch finished. */
export class DemoStoppedError extends Error {
  constructor() {
    super('the demo was stopped before its batch finished');
    this.name = 'DemoStoppedError';
  }
}

/** `work`, unless `stopping` is aborted first: then a {@link DemoStoppedError}. */
const unlessDemoStopped = <T>(work: Promise<T>, stopping?: AbortSignal) => unlessStopped(work, stopping, () => new DemoStoppedError());

const DEMO_USERS: Record<Role, string> = { staff: 'demo-clerk', ops: 'demo-ops', admin: 'demo-admin' };

/** A running demo; `stop()` shuts everything down. */
export interface RunningDemo {
  summary: DemoSummary;
  fixtures: RunningFixtures;
  runtime: Runtime;
  dashboard: DemoDashboard;
  /** A workbook of further accepted cases, for trying `ferry batch` (and the 批量 page) on the running demo. */
  sampleWorkbook: string;
  stop(): Promise<void>;
}

/** Cases in the demo's sample workbook. */
const SAMPLE_ROWS = 20;

/** Writes the sample workbook (owner-only: it carries applicants' names) under the data dir; returns its path. */
async function writeSampleWorkbook(dataDir: string, applicants: Applicant[]): Promise<string> {
  const dir = join(dataDir, 'samples');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${DEMO_RECIPE}.xlsx`);
  await writeFile(file, await caseListWorkbook(applicants), { mode: 0o600 });
  return file;
}

/** Refuses to reset a namespace that a live worker (of any process, on any host) is using. */
async function expectNoLiveWorker(runtime: Runtime): Promise<void> {
  const beats = await readBeats(runtime.redis, runtime.keys);
  const live = beats.find((beat) => !beat.id.startsWith(`${hostname()}-`) || isRunning(beat.pid));
  if (live) throw new DataDirInUseError(runtime.config.dataDir, { pid: live.pid, command: `ferry worker ${live.id} in namespace ${runtime.config.namespace}` });
}

/** Deletes every key of the runtime's namespace (queues, ledger, history, users). */
export async function wipeNamespace(runtime: Runtime): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await runtime.redis.scan(cursor, 'MATCH', `${runtime.keys.prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await runtime.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function targetRows(fixtures: RunningFixtures): Promise<{ rows: number; duplicates: number }> {
  const byId = await targetRowsById(fixtures.urls.medicalInsurance);
  const rows = [...byId.values()].flat().length;
  return { rows, duplicates: rows - byId.size };
}

async function housingFundAccounts(fixtures: RunningFixtures): Promise<{ accounts: number; duplicates: number }> {
  const byId = await housingFundAccountsById(fixtures.urls.housingFund);
  const accounts = [...byId.values()].flat().length;
  return { accounts, duplicates: accounts - byId.size };
}

/** Starts the dashboard (on any free port when the wanted one is taken) with a user per role. */
async function demoDashboard(runtime: Runtime, fixtures: RunningFixtures, port: number): Promise<{ running: RunningDashboard; info: DemoDashboard }> {
  const store = new UserStore(runtime.redis, runtime.keys);
  const users = {} as DemoDashboard['users'];
  for (const [role, user] of Object.entries(DEMO_USERS) as [Role, string][]) {
    users[role] = { user, password: generatePassword() };
    await store.add(user, role, users[role].password, 'demo');
  }
  const options = { botUrls: botUrlsOf(fixtures.urls) };
  const running = await startDashboard(runtime, { ...options, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    return startDashboard(runtime, { ...options, port: 0 });
  });
  if (!(await fetch(`${running.url}/login`)).ok) throw new Error(`the dashboard at ${running.url} does not answer`);
  return { running, info: { dashboard: running.url, users } };
}

/** Runs the demo batch; `progress` hears how many of the records have settled. */
export async function runDemo(config: FerryConfig, records: number, progress: (done: number, total: number) => void, options: DemoOptions = {}): Promise<RunningDemo> {
  const started = Date.now();
  const lock = lockDataDir(config.dataDir, 'ferry demo');
  const runtime = await openRuntime({ ...config, namespace: DEMO_NAMESPACE }, { role: 'demo', onRedisNotice: note }).catch((error) => {
    lock.release();
    throw error;
  });
  let fixtures: RunningFixtures | undefined;
  let worker: RunningWorker | undefined;
  let dashboard: RunningDashboard | undefined;
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir });
  const outcomes = runOutcomes(runtime.queue, runtime.ledger);
  const stop = async () => {
    await outcomes.close();
    await dashboard?.close();
    await worker?.close({ force: options.forced });
    await ocr.close();
    await fixtures?.stop();
    await runtime.close();
    lock.release();
  };
  try {
    await expectNoLiveWorker(runtime);
    await wipeNamespace(runtime);
    fixtures = await startFixtures({ applicants: Math.max(3000, records * 2) });
    await storeFixtureCredentials(runtime.credentials);
    worker = await startWorker(runtime, { ocr, botUrls: botUrlsOf(fixtures.urls) });
    const board = await demoDashboard(runtime, fixtures, options.dashboardPort ?? 8080);
    dashboard = board.running;
    options.onDashboard?.(board.info);
    const recipe = runtime.recipes.get(DEMO_RECIPE);
    const housing = runtime.recipes.get(DEMO_HOUSING_RECIPE);
    const applicants = eligibleCases(fixtures.applicants).slice(0, records);
    const cases = applicants.map((a) => a.caseNo);
    const sampleWorkbook = await writeSampleWorkbook(config.dataDir, eligibleCases(fixtures.applicants).slice(records, records + SAMPLE_ROWS));
    const openings = applicants.filter((a) => a.outsideCity).map((a) => a.caseNo);
    const triggerAs = (via: 'staff' | 'batch'): TriggerOptions => ({
      trigger: { via, by: via === 'staff' ? triggeredBy.dashboard(DEMO_USERS.staff) : triggeredBy.cli('demo') }, hash: (value) => runtime.secrets.keyedHash(value), attempts: config.attempts,
    });
    const [clerkCase, ...batch] = cases;
    if (options.unreadable) await makePermitsUnreadable(fixtures, applicants, options.unreadable);
    const answer = clerkAtTheCounter(runtime, applicants, outcomes, DEMO_USERS.staff);
    const moving = Date.now();
    const queued = await fanOut(runtime.queue, runtime.ledger, recipe, batch.map((caseNo) => ({ caseNo })), triggerAs('batch'));
    const queuedOpenings = await fanOut(runtime.queue, runtime.ledger, housing, openings.map((caseNo) => ({ caseNo })), triggerAs('batch'));
    const counts: Record<OutcomeCounter, number> = { entered: 0, alreadyPresent: 0, rejected: 0, needsReview: 0, failed: 0 };
    const openingCounts: Record<OutcomeCounter, number> = { entered: 0, alreadyPresent: 0, rejected: 0, needsReview: 0, failed: 0 };
    let done = 0;
    let asked = 0;
    let waiting = 0;
    const answered: Promise<void>[] = [];
    const total = cases.length + openings.length;
    const count = (jobId: string, outcome: RunOutcome, tally = counts) => {
      if (outcome.state === 'WAITING_FOR_PERSON') {
        asked++;
        if (options.autoAnswer) return void answered.push(answer(jobId, outcome).then((next) => count(jobId, next, tally)));
        waiting++;
      } else {
        tally[counterOf(outcome)]++;
      }
      progress(++done, total);
    };
    const batchDone = Promise.all([
      outcomes.waitAll(queued.keyIds.map((keyId) => runJobId(recipe.id, keyId)), { onSettled: (id, outcome) => count(id, outcome) }),
      outcomes.waitAll(queuedOpenings.keyIds.map((keyId) => runJobId(housing.id, keyId)), { onSettled: (id, outcome) => count(id, outcome, openingCounts) }),
    ]);
    batchDone.catch(() => {}); // awaited below; this only keeps a failure during the clerk's wait from going unhandled
    const clerkAt = Date.now();
    const clerkJob = await triggerRun(runtime.queue, recipe, { caseNo: clerkCase }, triggerAs('staff'));
    const clerkOutcome = await unlessDemoStopped(outcomes.wait(clerkJob.id!), options.stopping);
    const clerkSeconds = Math.round((Date.now() - clerkAt) / 100) / 10;
    count(clerkJob.id!, clerkOutcome);
    await unlessDemoStopped(batchDone, options.stopping);
    // Every run has settled once; the answered ones settle again (and may ask again, adding more).
    for (let seen = 0; seen < answered.length; seen = answered.length) await unlessDemoStopped(Promise.all(answered), options.stopping);
    const movingSeconds = (Date.now() - moving) / 1000;
    const target = await targetRows(fixtures);
    const fund = await housingFundAccounts(fixtures);
    return {
      summary: {
        records: cases.length, entered: counts.entered, alreadyPresent: counts.alreadyPresent, rejected: counts.rejected,
        failed: counts.failed + counts.needsReview, asked, waiting, targetRows: target.rows, duplicateRows: target.duplicates,
        seconds: Math.round((Date.now() - started) / 100) / 10,
        recordsPerSecond: Math.round((total / movingSeconds) * 100) / 100,
        housingFund: {
          records: openings.length, opened: openingCounts.entered + openingCounts.alreadyPresent, rejected: openingCounts.rejected,
          failed: openingCounts.failed + openingCounts.needsReview, accounts: fund.accounts, duplicateAccounts: fund.duplicates,
        },
        clerk: { caseNo: clerkCase, outcome: clerkOutcome, seconds: clerkSeconds, queuedBehind: queued.keyIds.length },
      },
      sampleWorkbook, fixtures, runtime, dashboard: board.info, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
