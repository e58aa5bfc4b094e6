/**
 * The audit log an admin reads: every kind of action this file takes through the dashboard
 * (log-ins, refused log-ins, triggers, refusals, evidence views, retry, resolve, discard,
 * adding a user) is in Redis, in an owner-only file, and on the /audit page.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { AuditLog } from '../runner/access/audit.ts';
import { useBrowser } from './support/browser.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { JOURNEY_FERRY, PEOPLE, RECIPE, runIdOf, useDashboard, type Person } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';

// The warm-up's session is kept however slow the machine: a fresh log-in would meet the 500 and hold the runs (see dashboard-ops).
const ferry = useFerry({ ...JOURNEY_FERRY, sessionIdleMs: 600_000 });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);

async function loggedIn(person: Person): Promise<DashboardClient> {
  const client = new DashboardClient(dashboard().url);
  expect((await client.logIn(person, PEOPLE[person].password)).status).toBe(303);
  return client;
}

/** Takes, over HTTP as each person's browser would, one of every action the audit log records. */
async function takeEveryAuditedAction(): Promise<void> {
  const [warmUp, retried, resolved, discarded] = enterableCases(ferry().fixtures.applicants).slice(0, 4);
  const medicalInsurance = ferry().fixtures.urls.medicalInsurance;
  const clerk = await loggedIn('clerk');
  const trigger = (caseNo: string) => clerk.send('POST', '/staff/runs', { recipe: RECIPE, key: caseNo });
  expect((await trigger(warmUp.caseNo)).status).toBe(303);
  expect((await ferry().outcome(runIdOf(warmUp.caseNo))).state).toBe('DONE');
  await setFaults(medicalInsurance, { errorRate: 1 });
  for (const applicant of [retried, resolved, discarded]) expect((await trigger(applicant.caseNo)).status).toBe(303);
  for (const applicant of [retried, resolved, discarded]) expect((await ferry().outcome(runIdOf(applicant.caseNo))).state).not.toBe('DONE');
  await setFaults(medicalInsurance, { errorRate: 0 });
  expect((await trigger('SL123')).status).toBe(422);
  expect((await clerk.send('GET', '/ops')).status).toBe(403);

  const ops = await loggedIn('opsy');
  const evidence = /\/ops\/runs\/[^"]+\/evidence\/[^"]+\.png/.exec(await ops.page(`/ops/runs/${runIdOf(retried.caseNo)}`))![0];
  expect((await ops.send('GET', evidence)).status).toBe(200);
  expect((await ops.send('POST', `/ops/runs/${runIdOf(retried.caseNo)}/retry`)).status).toBe(303);
  expect((await ferry().outcome(runIdOf(retried.caseNo))).state).toBe('DONE');
  await ops.send('POST', `/ops/runs/${runIdOf(resolved.caseNo)}/resolve`, { receipt: 'YB-HAND-0001' });
  await ops.send('POST', `/ops/runs/${runIdOf(discarded.caseNo)}/discard`, { note: '申请人已撤回申请' });

  const admin = await loggedIn('boss');
  await admin.send('POST', '/users', { name: 'newclerk', role: 'staff' });
  expect((await dashboard().users.get('newclerk'))?.role).toBe('staff');
  expect((await admin.send('POST', '/users', { name: 'mallory', role: 'admin', _csrf: 'forged' })).status).toBe(403);

  const tooMany = new DashboardClient(dashboard().url);
  for (let i = 0; i < 10; i++) expect((await tooMany.logIn('clerk2', 'wrong-password')).status).toBe(401);
  expect((await tooMany.logIn('clerk2', PEOPLE.clerk2.password)).status).toBe(429);
}

describe('the audit log', () => {
  it('holds every action this test took, in Redis and in an owner-only file', async () => {
    await takeEveryAuditedAction();
    const { runtime } = ferry();
    const audit = new AuditLog(runtime.redis, runtime.keys, join(runtime.config.dataDir, 'audit.log'));
    const entries = await audit.list({ limit: 1000 });
    const has = (action: string, who: string, outcome = 'ok') => entries.some((entry) => entry.action === action && entry.who === who && entry.outcome === outcome);
    expect(has('login', 'clerk')).toBe(true);
    expect(has('login', 'opsy')).toBe(true);
    expect(has('login', 'boss')).toBe(true);
    expect(has('login', 'clerk2', 'failed')).toBe(true);
    expect(has('login', 'clerk2', 'denied')).toBe(true);
    expect(has('trigger', 'clerk')).toBe(true);
    expect(has('trigger', 'clerk', 'failed')).toBe(true);
    expect(has('forbidden', 'clerk', 'denied')).toBe(true);
    expect(entries.some((entry) => entry.action === 'forbidden' && entry.detail?.includes('CSRF'))).toBe(true);
    for (const action of ['evidence-view', 'retry', 'resolve', 'discard']) expect(has(action, 'opsy'), action).toBe(true);
    expect(has('user-add', 'boss')).toBe(true);

    const file = join(runtime.config.dataDir, 'audit.log');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(await runtime.redis.xlen(runtime.keys.audit()));

    const page = await people.logIn('boss');
    await page.goto('/audit');
    const text = await page.locator('table').textContent();
    for (const action of ['login', 'trigger', 'evidence-view', 'retry', 'resolve', 'discard', 'user-add', 'forbidden']) expect(text).toContain(action);
    await shoot(page, 'audit');
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login$/);
    expect((await page.request.get('/api/overview')).status()).toBe(401);
  }, 600_000);
});
