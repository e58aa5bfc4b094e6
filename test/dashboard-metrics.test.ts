/**
 * What a Prometheus scrape of /metrics reads after a known morning: six cases entered and
 * one rejected run discarded by ops. Without a token it is open; with one it needs the bearer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../dashboard/server.ts';
import { defectiveCases, enterableCases } from '../fixtures/cases.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { JOURNEY_FERRY, PEOPLE, RECIPE, runIdOf, useDashboard } from './support/dashboard.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry(JOURNEY_FERRY);
const dashboard = useDashboard(ferry);

beforeAll(async () => {
  // A failing system no longer fails runs (its circuit opens and they wait), so the run ops discard is a rejected one.
  const failing = defectiveCases(ferry().fixtures.applicants)[0];
  const entered = enterableCases(ferry().fixtures.applicants).slice(0, 6);
  expect((await ferry().outcome(await ferry().trigger(RECIPE, { caseNo: failing.caseNo }))).state).toBe('REJECTED');
  const ops = new DashboardClient(dashboard().url);
  await ops.logIn('opsy', PEOPLE.opsy.password);
  await ops.page(`/ops/runs/${runIdOf(failing.caseNo)}`);
  expect((await ops.send('POST', `/ops/runs/${runIdOf(failing.caseNo)}/discard`, { note: '申请人已撤回申请' })).status).toBe(303);
  const ids = await Promise.all(entered.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
  expect((await Promise.all(ids.map((id) => ferry().outcome(id)))).map((outcome) => outcome.state)).toEqual(entered.map(() => 'DONE'));
}, 600_000);

describe('/metrics without a token', () => {
  it('answers Prometheus text with ferry_ metrics', async () => {
    const metrics = await fetch(dashboard().at('/metrics'));
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.every((line) => line.startsWith('ferry_'))).toBe(true);
    expect(text).toMatch(new RegExp(`ferry_runs_total\\{recipe="${RECIPE}",outcome="entered"\\} ([6-9]|\\d\\d)`));
    expect(text).toMatch(new RegExp(`ferry_run_duration_seconds_count\\{recipe="${RECIPE}",outcome="entered"\\} [1-9]`));
    expect(text).toContain('ferry_queue_jobs{state="waiting"}');
    expect(text).toContain(`ferry_ledger_entries{recipe="${RECIPE}",state="DISCARDED"} 1`);
    expect(text).toContain('ferry_system_up{bot="medical-insurance"} 1');
  });
});

describe('/metrics with a token', () => {
  it('answers 401 without the bearer token and the metrics with it', async () => {
    const guarded = await startDashboard(ferry().runtime, { port: 0, metricsToken: 'scrape-secret' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
      expect(await scraped.text()).toContain('ferry_queue_jobs');
    } finally {
      await guarded.close();
    }
  });
});
