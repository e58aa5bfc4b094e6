/**
 * Selector drift on the overview, in a real Chromium: after `ferry canary` finds a renamed field
 * under the medical-insurance bot, ops see the enrollment matter orange, the screen and the
 * locator, the likely replacement and its crop; staff cannot fetch the crop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.ts';
import { JOURNEY_FERRY, RECIPE, useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';

const ferry = useFerry(JOURNEY_FERRY);
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);

afterAll(() => setFaults(ferry().fixtures.urls.medicalInsurance, { renamedFields: {} }));

describe('the overview after a canary found a screen changed', () => {
  it('shows ops the matter orange, the locator, its likely replacement and a crop of it', async () => {
    expect((await runFerry(['canary', '--bot', 'medical-insurance'], ferry().env)).code).toBe(0);
    const page = await people.logIn('opsy');
    await page.goto('/overview');
    const system = page.locator(`[data-recipe="${RECIPE}"] [data-system="medical-insurance"]`);
    await expect.poll(() => system.textContent()).toContain('页面未变化');

    await setFaults(ferry().fixtures.urls.medicalInsurance, { renamedFields: { jzdz: 'xzz' } });
    expect((await runFerry(['canary', '--bot', 'medical-insurance'], ferry().env)).code).toBe(1);
    await page.reload();
    expect(await page.locator(`[data-recipe="${RECIPE}"] .badge`).getAttribute('class')).toContain('c-orange');
    const problem = system.locator('.drift-problem');
    expect(await problem.textContent()).toMatch(/灵活就业人员参保登记 › jzdz · 找到 0 个[\s\S]*可能的替代:\s*fieldByCaption\(page\.frameLocator\('frame\[name="main"\]'\)\.locator\(':root'\), '居住地址'\)/);
    // Why it is likely, in the page's language.
    expect(await problem.textContent()).toContain('(标题同为「居住地址」，类型同为 text)');
    const crop = problem.locator('img.crop');
    await expect.poll(() => crop.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(50);
    await shoot(page, 'overview-drift');

    const staff = await people.logIn('clerk');
    const refused = await staff.request.get('/overview/canary/medical-insurance/0.png');
    expect(refused.status()).toBe(403);
  });
});
