/**
 * A clerk's journey through the dashboard in a real Chromium: log in, run a case and copy
 * its receipt, run it again without entering it twice, see plain errors for bad input,
 * and be kept out of the ops pages.
 */
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useBrowser } from './support/browser.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { JOURNEY_FERRY, PEOPLE, RECIPE, useDashboard } from './support/dashboard.ts';
import { runCase, shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry(JOURNEY_FERRY);
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);
const cases = () => enterableCases(ferry().fixtures.applicants);
const medicalInsurance = () => ferry().fixtures.urls.medicalInsurance;

describe('a clerk', () => {
  it('logs in, runs a case, watches it finish by itself and copies the receipt', async () => {
    const page = await people.newPage('clerk');
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await shoot(page, 'login');
    await page.close();
    const staff = await people.logIn('clerk');
    expect(new URL(staff.url()).pathname).toBe('/staff');
    const applicant = cases()[0];
    await runCase(staff, applicant.caseNo);
    await staff.waitForURL(/\/staff\/runs\//);
    const receipt = staff.locator('#receipt');
    await receipt.waitFor({ timeout: 120_000 });
    expect(await staff.locator('.step.done').count()).toBe(4);
    const rows = await targetRowsById(medicalInsurance());
    expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([await receipt.inputValue()]);
    await staff.getByRole('button', { name: '复制' }).click();
    await staff.getByRole('button', { name: '已复制' }).waitFor();
    expect(await staff.evaluate(() => navigator.clipboard.readText())).toBe(await receipt.inputValue());
    await shoot(staff, 'staff-result');
  });

  it('lands on the existing run when the same case is run again, and nothing is entered twice', async () => {
    const page = await people.logIn('clerk');
    const applicant = cases()[0];
    await runCase(page, applicant.caseNo);
    await page.waitForURL(/existing=1/);
    expect(await page.locator('.notice').textContent()).toContain('已经有一条录入记录');
    expect(await page.locator('#receipt').inputValue()).toMatch(/^YB/);
    expect((await targetRowsById(medicalInsurance())).get(applicant.idNumber)).toHaveLength(1);
  });

  it('sees a clear error on the page for a malformed or empty case number', async () => {
    const page = await people.logIn('clerk');
    await runCase(page, 'SL123');
    expect(await page.getByRole('alert').textContent()).toContain('受理编号为 SL 加 13 位数字');
    expect(await page.getByLabel('受理编号').inputValue()).toBe('SL123');
    await runCase(page, '   ');
    expect(await page.getByRole('alert').textContent()).toContain('请输入受理编号');
    await shoot(page, 'staff');
  });

  it('gets a 403 page for the ops routes, and 403 from their JSON API', async () => {
    const page = await people.logIn('clerk');
    for (const path of ['/ops', '/overview', '/audit', '/users']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      expect(await page.locator('h1').textContent()).toBe('无权访问');
    }
    for (const path of ['/api/ops/runs', '/api/overview', '/api/audit']) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ error: '403' });
    }
  });

  it('sees what they typed escaped on the page it is shown back on', async () => {
    const client = new DashboardClient(dashboard().url);
    await client.logIn('clerk', PEOPLE.clerk.password);
    const response = await client.send('POST', '/staff/runs', { recipe: RECIPE, key: '"><script>alert(1)</script>' });
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)');
  });
});
