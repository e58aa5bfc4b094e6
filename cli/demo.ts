/**
 * The demo on the embedded default: a private redis-server, the fixture systems, a
 * worker, the dashboard with a staff, an ops and an admin user (fresh random passwords),
 * and a batch of cases moved acceptance → medical-insurance, one of them triggered the
 * way a window clerk would. Starts from empty fixture data and its own namespace, so it
 * gives the same outcome every time.
 */
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { eligibleCases } from '../fixtures/cases.ts';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { botUrlsOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import { awaitOutcome } from '../runner/run/await-outcome.ts';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { counterOf, type OutcomeCounter } from '../runner/run/stats.ts';
import { triggeredBy, type RunOutcome } from '../runner/run/types.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { generatePassword, UserStore, type Role } from '../runner/access/users.ts';
import { startWorker, type RunningWorker } from '../runner/run/worker.ts';

export const DEMO_RECIPE = 'flexible-worker-enrollment';

/** The demo's result line. */
export interface DemoSummary {
  records: number;
  entered: number;
  alreadyPresent: number;
  rejected: number;
  failed: number;
  targetRows: number;
  duplicateRows: number;
  seconds: number;
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
}

const DEMO_USERS: Record<Role, string> = { staff: 'demo-clerk', ops: 'demo-ops', admin: 'demo-admin' };

/** A running demo; `stop()` shuts everything down. */
export interface RunningDemo {
  summary: DemoSummary;
  clerk: { caseNo: string; outcome: RunOutcome };
  fixtures: RunningFixtures;
  runtime: Runtime;
  dashboard: DemoDashboard;
  stop(): Promise<void>;
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
  const { rows } = (await (await fetch(`${fixtures.urls.medicalInsurance}/__fixture/records`)).json()) as { rows: { sfzh: string }[] };
  return { rows: rows.length, duplicates: rows.length - new Set(rows.map((row) => row.sfzh)).size };
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

/** Runs the demo batch; `progress` hears about each finished run. */
export async function runDemo(config: FerryConfig, records: number, progress: (done: number) => void, options: DemoOptions = {}): Promise<RunningDemo> {
  const started = Date.now();
  const runtime = await openRuntime({ ...config, namespace: 'demo' }, { role: 'demo' });
  let fixtures: RunningFixtures | undefined;
  let worker: RunningWorker | undefined;
  let dashboard: RunningDashboard | undefined;
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir });
  const stop = async () => {
    await dashboard?.close();
    await worker?.close();
    await ocr.close();
    await fixtures?.stop();
    await runtime.close();
  };
  try {
    await wipeNamespace(runtime);
    fixtures = await startFixtures({ applicants: Math.max(3000, records * 2) });
    await storeFixtureCredentials(runtime.credentials);
    worker = await startWorker(runtime, { ocr, botUrls: botUrlsOf(fixtures.urls) });
    const board = await demoDashboard(runtime, fixtures, options.dashboardPort ?? 8080);
    dashboard = board.running;
    options.onDashboard?.(board.info);
    const recipe = runtime.recipes.get(DEMO_RECIPE);
    const cases = eligibleCases(fixtures.applicants).slice(0, records).map((a) => a.caseNo);
    const trigger = (caseNo: string, via: 'staff' | 'cli') => triggerRun(runtime.queue, recipe, { caseNo }, {
      trigger: { via, by: via === 'staff' ? triggeredBy.dashboard(DEMO_USERS.staff) : triggeredBy.cli('demo') }, hash: (value) => runtime.secrets.keyedHash(value), attempts: config.attempts,
    });
    const [clerkCase, ...batch] = cases;
    const clerkJob = await trigger(clerkCase, 'staff');
    const clerkOutcome = await awaitOutcome(runtime.queue, runtime.ledger, clerkJob.id!);
    progress(1);
    const jobs = await Promise.all(batch.map((caseNo) => trigger(caseNo, 'cli')));
    const counts: Record<OutcomeCounter, number> = { entered: 0, alreadyPresent: 0, rejected: 0, needsReview: 0, failed: 0 };
    counts[counterOf(clerkOutcome)]++;
    let done = 1;
    await Promise.all(jobs.map(async (job) => {
      counts[counterOf(await awaitOutcome(runtime.queue, runtime.ledger, job.id!, { pollMs: 500 }))]++;
      progress(++done);
    }));
    const target = await targetRows(fixtures);
    return {
      summary: {
        records: cases.length, entered: counts.entered, alreadyPresent: counts.alreadyPresent, rejected: counts.rejected,
        failed: counts.failed + counts.needsReview, targetRows: target.rows, duplicateRows: target.duplicates,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      clerk: { caseNo: clerkCase, outcome: clerkOutcome },
      fixtures, runtime, dashboard: board.info, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
