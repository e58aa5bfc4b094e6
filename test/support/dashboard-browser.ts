/** The dashboard in a real Chromium, one browser context per person, and the screenshots every page gets. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import { findUnmaskedPersonalData } from '../../runner/access/mask.ts';
import enrollment from '../../recipes/flexible-worker-enrollment.ts';
import { PEOPLE, type Person, type TestDashboard } from './dashboard.ts';
import { fillLogInForm } from './log-in-form.ts';

/** The README's screenshots, refreshed only on request, so a test run leaves the clone as it found it. */
const SHOTS = process.env.FERRY_UPDATE_SCREENSHOTS === '1'
  ? join(import.meta.dirname, '..', '..', 'dashboard', 'screenshots')
  : join(tmpdir(), 'ferry-screenshots');
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

/** Checks the page shows no unmasked personal data, then saves it at both widths (to dashboard/screenshots/ with FERRY_UPDATE_SCREENSHOTS=1). */
export async function shoot(page: Page, name: string): Promise<void> {
  expect(findUnmaskedPersonalData(await page.content())).toEqual([]);
  for (const [label, size] of [['desktop', DESKTOP], ['narrow', NARROW]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

export interface DashboardBrowser {
  /** A new page in the person's own context (its cookies), on no page yet; paths are relative to the dashboard. */
  newPage(person: Person): Promise<Page>;
  /** A new page of the person, logged in through the form unless the context already is; left where the log-in lands. */
  logIn(person: Person): Promise<Page>;
}

/** One browser context per person, made on first use and closed after the file. */
export function useDashboardBrowser(browser: () => Browser, dashboard: () => TestDashboard): DashboardBrowser {
  const contexts = new Map<Person, BrowserContext>();
  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
  });
  const newPage = async (person: Person) => {
    if (!contexts.has(person)) {
      contexts.set(person, await browser().newContext({
        baseURL: dashboard().url, viewport: DESKTOP, locale: 'zh-CN', permissions: ['clipboard-read', 'clipboard-write'],
      }));
    }
    return contexts.get(person)!.newPage();
  };
  return {
    newPage,
    async logIn(person) {
      const page = await newPage(person);
      await page.goto('/login');
      if (!page.url().includes('/login')) return page;
      await fillLogInForm(page, { username: person, password: PEOPLE[person].password });
      await page.waitForURL((address) => !address.pathname.startsWith('/login'));
      return page;
    },
  };
}

/** On the staff page, starts the enrollment of a case as a clerk does. */
export async function runCase(page: Page, caseNo: string): Promise<void> {
  await page.goto('/staff');
  await page.getByLabel('事项').selectOption({ label: enrollment.title });
  await page.getByLabel('受理编号').fill(caseNo);
  await page.getByRole('button', { name: '开始录入' }).click();
}

/** Reloads an ops run page until its state badge reads `label`. */
export async function untilState(page: Page, label: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await page.locator('h1 + .badge').textContent())?.trim() === label) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload();
  }
  throw new Error(`the run never became ${label}`);
}
