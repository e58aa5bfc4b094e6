/**
 * Bad source records: an over-long address, a name GBK cannot encode, markup in every
 * text field, a case that does not exist. Each is REJECTED once, naming the field, and
 * nothing is entered; the dashboard shows the markup run inert in a real Chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import type { DefectKind } from '../fixtures/data/applicants.ts';
import { UserStore } from '../runner/access/users.ts';
import { useBrowser } from './support/browser.ts';
import { defectiveCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'a-long-test-password';
const MISSING_CASE = 'SL2026010199999';
const ferry = useFerry({ fixtures: { applicants: 600, faults: { captcha: false } }, concurrency: 2 });
const browser = useBrowser();
let dashboard: RunningDashboard;

beforeAll(async () => {
  await new UserStore(ferry().runtime.redis, ferry().runtime.keys).add('opsy', 'ops', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

const caseOf = (kind: DefectKind) => defectiveCases(ferry().fixtures.applicants).find((a) => a.defect!.kind === kind)!;

describe('a bad source record', () => {
  it.each([
    { kind: 'long-address' as const, says: ['现居住地址超过50字', 'current address longer than 50 characters'] },
    { kind: 'gbk-unencodable-name' as const, says: ['姓名含有GBK无法编码的字符', 'which GBK cannot encode'] },
    { kind: 'markup-name' as const, says: ['name: 姓名含有标记或脚本字符', 'hukouAddress: 户籍地址含有标记或脚本字符', 'currentAddress: 现居住地址含有标记或脚本字符'] },
  ])('with $kind is rejected at the first attempt, naming the field, and nothing is entered', async ({ kind, says }) => {
    const applicant = caseOf(kind);
    const jobId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
    const outcome = await ferry().outcome(jobId);
    expect(outcome.state).toBe('REJECTED');
    for (const text of says) expect(outcome.reason).toContain(text);
    expect((await ferry().runtime.queue.getJob(jobId))?.attemptsMade).toBe(1);
    expect((await targetRowsById(ferry().fixtures.urls.medicalInsurance)).has(applicant.idNumber)).toBe(false);
  });
});

describe('a case that does not exist in the source', () => {
  it('is rejected at the first attempt as not found, and nothing is entered', async () => {
    const jobId = await ferry().trigger(RECIPE, { caseNo: MISSING_CASE });
    const outcome = await ferry().outcome(jobId);
    expect(outcome).toMatchObject({ state: 'REJECTED', reason: expect.stringContaining(`case ${MISSING_CASE} does not exist`) });
    expect((await ferry().runtime.queue.getJob(jobId))?.attemptsMade).toBe(1);
    expect(await ferry().runtime.ledger.get(RECIPE, MISSING_CASE)).toMatchObject({ state: 'REJECTED' });
  });
});

describe('the dashboard pages of the run with markup in every field', () => {
  async function logIn(page: Page): Promise<void> {
    await page.goto(`${dashboard.url}/login`);
    await page.getByLabel('用户名').fill('opsy');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((address) => !address.pathname.startsWith('/login'));
  }

  it('render the reason as text: no dialog fires and no injected element exists', async () => {
    const jobId = await ferry().trigger(RECIPE, { caseNo: caseOf('markup-name').caseNo });
    expect((await ferry().outcome(jobId)).state).toBe('REJECTED');
    const context = await browser().newContext({ locale: 'zh-CN' });
    const dialogs: string[] = [];
    context.on('page', (page) => page.on('dialog', (dialog) => dialogs.push(dialog.message())));
    try {
      const page = await context.newPage();
      await logIn(page);
      for (const path of ['/ops', `/staff/runs/${jobId}`, `/ops/runs/${jobId}`]) {
        await page.goto(`${dashboard.url}${path}`);
        await page.waitForLoadState('networkidle');
        expect(await page.locator('img[src="x"], svg[onload], [onerror]').count(), path).toBe(0);
        expect(await page.locator('script', { hasText: 'alert(' }).count(), path).toBe(0);
        expect(await page.content(), path).not.toMatch(/<script>alert|<img src=x|<svg onload/);
      }
      expect(await page.locator('.reason').textContent()).toContain('姓名含有标记或脚本字符');
      const html = await page.request.get(`${dashboard.url}/ops/runs/${jobId}/evidence/acceptance.html`);
      expect(html.headers()).toMatchObject({ 'content-type': 'application/octet-stream', 'content-disposition': expect.stringContaining('attachment') });
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
