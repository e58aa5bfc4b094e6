/**
 * Everyone triggering the same records at once: a clerk's double click on the staff form,
 * two schedulers firing the same sync slot, and `ferry run` from a shell. Each record gets
 * one run (one job id) and one row in the target.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { runJobId } from '../runner/run/key.ts';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { daysBefore } from '../runner/scheduler/slots.ts';
import { awaitSync, awaitSyncRuns } from '../runner/scheduler/sync-progress.ts';
import { UserStore } from '../runner/access/users.ts';
import { eligibleCases, enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';
import { spawnFerry } from '../cli/ferry-process.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'clerk-password-1';
const ferry = useFerry({ concurrency: 2, fixtures: { applicants: 60, faults: { captcha: false } } });
let dashboard: RunningDashboard;

beforeAll(async () => {
  await new UserStore(ferry().runtime.redis, ferry().runtime.keys).add('clerk', 'staff', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

/** A clerk's double click: the staff form posted twice at once; resolves with where each post led. */
async function doubleClick(clerk: DashboardClient, caseNo: string): Promise<string[]> {
  const posts = [0, 1].map(() => clerk.send('POST', '/staff/runs', { recipe: RECIPE, key: caseNo }));
  return (await Promise.all(posts)).map((response) => decodeURIComponent(response.headers.get('location') ?? '').split('?')[0]);
}

async function cliRun(caseNo: string): Promise<string> {
  const child = spawnFerry(['run', RECIPE, '--input', JSON.stringify({ caseNo })], ferry().env);
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return JSON.parse(child.out().trim().split('\n').at(-1)!).run;
}

describe('when a double click, two schedulers and the CLI trigger the same records at once', () => {
  it('starts one run per record and enters each record once', async () => {
    const { runtime, fixtures } = ferry();
    const day = fixtures.applicants.map((a) => a.acceptedOn).sort().at(-1)!;
    const slot = new Date(`${day}T02:00:00+08:00`);
    const listed = eligibleCases(fixtures.applicants).filter((a) => a.acceptedOn >= daysBefore(day, 1));
    const unlisted = enterableCases(fixtures.applicants).find((a) => !listed.includes(a))!;
    const [overlap] = listed;
    const clerk = new DashboardClient(dashboard.url);
    expect((await clerk.logIn('clerk', PASSWORD)).status).toBe(303);
    const schedulers = await Promise.all(['s1', 's2'].map(() => startScheduler(runtime)));

    const [clicks, otherClicks, syncIds, cliRuns] = await Promise.all([
      doubleClick(clerk, overlap.caseNo),
      doubleClick(clerk, unlisted.caseNo),
      Promise.all(schedulers.map((scheduler) => scheduler.fireSlot(RECIPE, slot))),
      Promise.all([overlap, unlisted].map((applicant) => cliRun(applicant.caseNo))),
    ]);
    for (const scheduler of schedulers) await scheduler.close();

    const overlapRun = runJobId(RECIPE, overlap.caseNo);
    const unlistedRun = runJobId(RECIPE, unlisted.caseNo);
    expect(clicks).toEqual([`/staff/runs/${overlapRun}`, `/staff/runs/${overlapRun}`]);
    expect(otherClicks).toEqual([`/staff/runs/${unlistedRun}`, `/staff/runs/${unlistedRun}`]);
    expect(cliRuns).toEqual([overlapRun, unlistedRun]);
    expect(syncIds[0]).toBe(syncIds[1]);

    const result = await awaitSync(runtime.syncs, syncIds[0]);
    // The overlapping record's run (the clerk's, the CLI's) may settle before the sync fans out,
    // which runs its bots' canaries first; the sync then lists it and skips it, adding no run.
    expect(result.listed).toBe(listed.length);
    const fannedOut = result.skipped === 1 ? [...result.keyIds, overlap.caseNo] : result.keyIds;
    expect([result.skipped <= 1, fannedOut.sort()]).toEqual([true, listed.map((a) => a.caseNo).sort()]);
    await awaitSyncRuns(runtime, result, syncIds[0]);
    expect(await ferry().outcome(unlistedRun)).toMatchObject({ state: 'DONE', created: true });

    const everyone = [...listed, unlisted];
    const jobs = await runtime.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
    expect(jobs.map((job) => job.id).sort()).toEqual(everyone.map((a) => runJobId(RECIPE, a.caseNo)).sort());
    const rows = await targetRowsById(fixtures.urls.medicalInsurance);
    const entered = everyone.filter((a) => !a.defect);
    expect([...rows.keys()].sort()).toEqual(entered.map((a) => a.idNumber).sort());
    for (const applicant of entered) expect(rows.get(applicant.idNumber)).toHaveLength(1);
  }, 180_000);
});
