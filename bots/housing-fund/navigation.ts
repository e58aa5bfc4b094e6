/** Going to a screen of the housing-fund system, which says 会话已超时 in place instead of redirecting. */
import type { Page } from 'playwright-core';
import { SessionExpiredError } from '../../runner/index.ts';

/** True on the in-place timeout page (status 200, a log-in box) or on the log-in screen. */
export async function showsLoggedOut(page: Page): Promise<boolean> {
  return new URL(page.url()).pathname.endsWith('/login.do') || (await page.getByText('会话已超时').count()) > 0;
}

/** Opens `url`; a SessionExpiredError when the system has logged the bot out. */
export async function openScreen(page: Page, url: string): Promise<void> {
  await page.goto(url);
  if (await showsLoggedOut(page)) throw new SessionExpiredError('住房公积金系统会话已超时 (the housing-fund session timed out)');
}
