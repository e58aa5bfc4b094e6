/** The overview an ops person reads in a real Chromium: a known batch moves its figures by exactly that batch. */
import { describe, expect, it } from 'vitest';
import { defectiveCases, enterableCases } from '../fixtures/cases.ts';
import { useBrowser } from './support/browser.ts';
import { JOURNEY_FERRY, RECIPE, useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry(JOURNEY_FERRY);
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);

describe('the overview', () => {
  it('shows the right counts after a known batch', async () => {
    const page = await people.logIn('opsy');
    const figures = async () => {
      const overview = await (await page.request.get('/api/overview')).json();
      return overview.recipes.find((recipe: { id: string }) => recipe.id === RECIPE).periods.today;
    };
    const before = await figures();
    const batch = [...enterableCases(ferry().fixtures.applicants).slice(5, 8), defectiveCases(ferry().fixtures.applicants)[0]].map((applicant) => applicant.caseNo);
    const ids = await Promise.all(batch.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
    expect((await Promise.all(ids.map((id) => ferry().outcome(id)))).map((outcome) => outcome.state)).toEqual(['DONE', 'DONE', 'DONE', 'REJECTED']);
    const after = await figures();
    expect(after.runs - before.runs).toBe(4);
    expect(after.moved - before.moved).toBe(3);
    expect(after.entered - before.entered).toBe(3);
    expect(after.hoursSaved - before.hoursSaved).toBeCloseTo(3 * 4 / 60);
    await page.goto('/overview');
    const today = page.locator(`[data-recipe="${RECIPE}"] .p-today td`);
    expect(await today.allTextContents()).toEqual([
      `${(after.rate * 100).toFixed(1)}%`, String(after.runs), String(after.moved), after.hoursSaved.toFixed(1),
    ]);
    expect(await page.locator('.q-workers').textContent()).toBe('1');
    await shoot(page, 'overview');
  });
});
