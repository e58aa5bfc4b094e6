/** A bot for the probe system (see `probe-system.ts`), built per test with the log-in and browser needs under test. */
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { defineBot, defineRecipe, type BotBrowserOptions, type LoginContext, type LoginModel } from '../../runner/index.ts';

/** What the page saw: what the server received, and the browser's own settings. */
export interface ProbeSeen {
  bot: string | null;
  userAgent: string;
  basicUser: string | null;
  timeZone: string;
  language: string;
  routed: string;
}

/** The probe system's screens. */
export class ProbePage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** What the browser sent and shows, read on the `/whoami` page. */
  async seen(): Promise<ProbeSeen> {
    await this.page.goto(`${this.baseUrl}/whoami`);
    // The probe's one output block has no role; its id is the hook.
    const sent = JSON.parse((await this.page.locator('#seen').textContent()) ?? '{}');
    const shown = await this.page.evaluate(async () => ({
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      language: navigator.language,
      routed: await (await fetch('/routed')).text(),
    }));
    return { ...sent, ...shown };
  }

  /** Opens the person picker window and presses its 确定 (which raises an alert nobody expects). */
  async confirmInPicker(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/opener`);
    const [picker] = await Promise.all([this.page.waitForEvent('popup'), this.page.getByRole('button', { name: '选择人员' }).click()]);
    await picker.getByRole('button', { name: '确定' }).click();
    await picker.getByText('人员选择窗口').waitFor();
  }
}

/** Logs in through the probe's form; throws the page's message when it refuses. */
export async function logInToProbe({ page, credentials, baseUrl }: LoginContext): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(credentials.username);
  await page.getByLabel('密码').fill(credentials.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '登录' }).click()]);
  if (new URL(page.url()).pathname === '/login') throw new Error(`probe refused the login: ${await page.getByRole('alert').textContent()}`);
}

/** A probe bot: logged out when the page says 会话已超时 in place (read from the page, not the URL). */
export function probeBot(id: string, options: { login?: LoginModel; browser?: BotBrowserOptions } = {}) {
  return defineBot({
    id,
    title: 'probe',
    maxSessions: 1,
    login: options.login ?? { form: logInToProbe },
    isLoggedOut: async (page) => ((await page.locator('body').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes('会话已超时'),
    pages: (page, baseUrl) => ({ probe: new ProbePage(page, baseUrl) }),
    browser: options.browser,
  });
}

/** A recipe whose read does `step` on the probe and whose write files what was seen in `seen`. */
export function probeRecipe(id: string, bot: ReturnType<typeof probeBot>, step: 'seen' | 'picker', seen: ProbeSeen[] = []) {
  return defineRecipe({
    id,
    title: id,
    bots: { probe: bot },
    target: 'probe',
    input: z.object({ no: z.string() }),
    key: (input) => input.no,
    manualMinutes: 1,
    read: async ({ probe }) => (step === 'seen' ? probe.pages.probe.seen() : probe.pages.probe.confirmInPicker().then(() => null)),
    find: async () => null,
    write: async ({ input, record }) => {
      if (record) seen.push(record);
      return `R-${input.no}`;
    },
  });
}
