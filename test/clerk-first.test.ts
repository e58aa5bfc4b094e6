/**
 * The clerk goes first: a run a person triggers at the window is taken before a queued
 * nightly backlog, across the worker's lanes; a record the sync already queued is moved
 * to the front when a clerk asks for it; and a sync run that is retried stays behind.
 */
import { Job, QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { runJobId } from '../runner/run/key.ts';
import { triggerRun, type TriggerOptions } from '../runner/run/trigger.ts';
import { RUN_PRIORITY } from '../runner/run/types.ts';
import { triggeredBy, type RunTrigger } from '../runner/run/types.ts';
import { fanOut } from '../runner/scheduler/fan-out.ts';
import { setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const BACKLOG = 200;
const ferry = useFerry({
  fixtures: { applicants: 900, faults: { captcha: false, medicalInsurance: { latencyMs: 300 } } },
  concurrency: 2,
});

function optionsFor(via: RunTrigger['via']): TriggerOptions {
  const { runtime } = ferry();
  return { trigger: { via, by: via === 'schedule' ? triggeredBy.schedule(RECIPE) : triggeredBy.dashboard('clerk') }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts };
}

/** Runs of the backlog that have not finished yet. */
async function unfinished(keyIds: string[]): Promise<number> {
  const states = await Promise.all(keyIds.map((keyId) => ferry().runtime.queue.getJobState(runJobId(RECIPE, keyId))));
  return states.filter((state) => state !== 'completed' && state !== 'failed').length;
}

describe('a clerk behind a nightly backlog on a slow target', () => {
  it('gets the receipt while most of the backlog still waits, and so does a clerk asking for a record the sync queued', async () => {
    const { runtime, fixtures } = ferry();
    const recipe = runtime.recipes.get(RECIPE);
    const [clerkCase, ...rest] = enterableCases(fixtures.applicants).map((applicant) => applicant.caseNo);
    const backlog = await fanOut(runtime.queue, runtime.ledger, recipe, rest.slice(0, BACKLOG).map((caseNo) => ({ caseNo })), optionsFor('schedule'));
    expect(backlog.keyIds).toHaveLength(BACKLOG);
    expect(await runtime.queue.getPrioritizedCount()).toBeGreaterThan(BACKLOG - 10);

    const clerk = await triggerRun(runtime.queue, recipe, { caseNo: clerkCase }, optionsFor('staff'));
    const outcome = await ferry().outcome(clerk.id!);
    expect(outcome.state).toBe('DONE');
    expect(outcome.receipt).toMatch(/\S/);
    // A queue in arrival order would have finished all 200 first.
    expect(await unfinished(backlog.keyIds)).toBeGreaterThan(BACKLOG - 30);

    const lastQueued = rest[BACKLOG - 1];
    const promoted = await triggerRun(runtime.queue, recipe, { caseNo: lastQueued }, optionsFor('staff'));
    expect((await Job.fromId(runtime.queue, promoted.id!))?.priority).toBe(0);
    expect((await ferry().outcome(promoted.id!)).state).toBe('DONE');
    expect(await unfinished(backlog.keyIds)).toBeGreaterThan(BACKLOG - 60);
  });
});

describe('a sync run that fails and is retried', () => {
  it('keeps the sync priority on its retries', async () => {
    const { runtime, fixtures } = ferry();
    await runtime.queue.obliterate({ force: true });
    const recipe = runtime.recipes.get(RECIPE);
    const caseNo = enterableCases(fixtures.applicants).at(-1)!.caseNo;
    const events = new QueueEvents(runtime.queue.name, { connection: runtime.redis, prefix: runtime.keys.prefix });
    await events.waitUntilReady();
    const retried = new Promise<void>((resolve) => events.on('delayed', () => resolve()));
    await setFaults(fixtures.urls.medicalInsurance, { errorRate: 1 });
    const { keyIds } = await fanOut(runtime.queue, runtime.ledger, recipe, [{ caseNo }], optionsFor('schedule'));
    const jobId = runJobId(RECIPE, keyIds[0]);
    await retried;
    await setFaults(fixtures.urls.medicalInsurance, { errorRate: 0 });
    expect((await ferry().outcome(jobId)).state).toBe('DONE');
    const job = await Job.fromId(runtime.queue, jobId);
    expect(job?.attemptsMade).toBeGreaterThan(0);
    expect(job?.priority).toBe(RUN_PRIORITY.schedule);
    await events.close();
  });
});
