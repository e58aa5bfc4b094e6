/**
 * Ops' journey through the dashboard in a real Chromium: failures a fixture fault caused,
 * their evidence, a retry that succeeds, resolving by hand, discarding with a note and a
 * bulk retry, with nothing entered twice.
 */
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useBrowser } from './support/browser.ts';
import { JOURNEY_FERRY, RECIPE, runIdOf as runId, useDashboard } from './support/dashboard.ts';
import { runCase, shoot, untilState, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';

// The worker keeps its session however long the steps between runs take on a loaded machine:
// past the default 30 s idle, the next run logs in, meets the 500 on the log-in page, and the
// circuit holds every run for minutes instead of showing the system's 500.
const ferry = useFerry({ ...JOURNEY_FERRY, sessionIdleMs: 600_000 });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);
const cases = () => enterableCases(ferry().fixtures.applicants);
const medicalInsurance = () => ferry().fixtures.urls.medicalInsurance;

describe('ops', () => {
  const failed = () => cases().slice(1, 5);

  it('see a failure a fixture fault caused, open its screenshot, retry it and see it succeed', async () => {
    const clerk = await people.logIn('clerk');
    // A case entered first leaves the worker a live session (kept, see above), so what fails next is the system's 500, not a log-in.
    expect((await ferry().outcome(await ferry().trigger(RECIPE, { caseNo: cases()[0].caseNo }))).state).toBe('DONE');
    await setFaults(medicalInsurance(), { errorRate: 1 });
    const [first, ...others] = failed();
    await runCase(clerk, first.caseNo);
    const ids = await Promise.all(others.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
    await clerk.locator('.problem').waitFor({ timeout: 120_000 });
    expect(await clerk.locator('.problem').textContent()).toContain('medical-insurance answered 500');
    await shoot(clerk, 'staff-problem');
    await Promise.all(ids.map((id) => ferry().outcome(id)));
    await setFaults(medicalInsurance(), { errorRate: 0 });

    const page = await people.logIn('opsy');
    expect(new URL(page.url()).pathname).toBe('/ops');
    for (const applicant of failed()) await page.getByRole('link', { name: applicant.caseNo }).waitFor();
    await shoot(page, 'ops-list');
    await page.getByRole('link', { name: first.caseNo }).click();
    const image = page.locator('.evidence img').first();
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    const png = await page.request.get(`/ops/runs/${runId(first.caseNo)}/evidence/medical-insurance.png`);
    expect(png.headers()['content-type']).toBe('image/png');
    const html = await page.request.get(`/ops/runs/${runId(first.caseNo)}/evidence/medical-insurance.html`);
    expect(html.headers()['content-disposition']).toContain('attachment');
    expect(await page.locator('body').textContent()).not.toContain(first.name);
    await shoot(page, 'ops-run');

    await page.getByRole('button', { name: '重试' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已重新排队。');
    await untilState(page, '已完成');
    expect((await targetRowsById(medicalInsurance())).get(first.idNumber)).toHaveLength(1);
    await clerk.reload();
    expect(await clerk.locator('#receipt').inputValue()).toMatch(/^YB/);
  });

  it('resolve one run by hand, discard another with a note, and retry the rest of a reason in bulk', async () => {
    const [, byHand, discarded, bulk] = failed();
    const { ledger } = ferry().runtime;
    const page = await people.logIn('opsy');
    await page.goto(`/ops/runs/${runId(byHand.caseNo)}`);
    await page.getByLabel('在目标系统中查到的业务流水号').fill('YB-HAND-0001');
    await page.getByRole('button', { name: '手工办结' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已手工办结。');
    expect(await ledger.get(RECIPE, byHand.caseNo)).toMatchObject({ state: 'DONE', receipt: 'YB-HAND-0001', created: '0', resolvedBy: 'opsy' });

    await page.goto(`/ops/runs/${runId(discarded.caseNo)}`);
    await page.getByLabel('作废说明').fill('申请人已撤回申请');
    await page.getByRole('button', { name: '作废' }).click();
    expect(await ledger.get(RECIPE, discarded.caseNo)).toMatchObject({ state: 'DISCARDED', note: '申请人已撤回申请' });

    await page.goto('/ops');
    await page.locator('.chip').first().click();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: '全部重试（1 条）' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已重试 1 条，跳过 0 条。');
    expect((await ferry().outcome(runId(bulk.caseNo))).state).toBe('DONE');
    const rows = await targetRowsById(medicalInsurance());
    expect([byHand, discarded].map((applicant) => rows.has(applicant.idNumber))).toEqual([false, false]);
    expect(rows.get(bulk.idNumber)).toHaveLength(1);
  });
});
