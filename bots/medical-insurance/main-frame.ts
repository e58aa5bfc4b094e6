/**
 * The 2005-era frameset: screens open in the `main` frame under `/index.jsp`. When the
 * session has lapsed, every page answers with a script that bounces the top window to
 * the login page (detaching the frame mid-load); that becomes a SessionExpiredError.
 */
import type { Frame, Page } from 'playwright-core';
import { SessionExpiredError } from '../../runner/index.ts';

/** What every screen says, instead of itself, once the session has lapsed. */
export const TIMEOUT_NOTICE = '会话已超时';

/** True when a frame of the page shows the system's 会话已超时 notice (before, or instead of, its bounce to the login). */
export async function showsTimeoutNotice(page: Page): Promise<boolean> {
  const shown = await Promise.all(page.frames().map((frame) =>
    frame.locator('body').innerText({ timeout: 1000 }).then((text) => text.includes(TIMEOUT_NOTICE), () => false)));
  return shown.includes(true);
}

/** True once the top window has been sent to the login page (waits briefly for the bounce). */
async function bouncedToLogin(page: Page): Promise<boolean> {
  return page.waitForURL(/\/login\.jsp/, { timeout: 2000 }).then(() => true, () => false);
}

async function openFrame(page: Page, baseUrl: string, path: string): Promise<Frame> {
  if (!page.url().startsWith(`${baseUrl}/index.jsp`) || !page.frame({ name: 'main' })) {
    await page.goto(`${baseUrl}/index.jsp`, { waitUntil: 'domcontentloaded' });
  }
  const main = page.frame({ name: 'main' });
  if (!main) throw new SessionExpiredError('the frameset did not load');
  const response = await main.goto(`${baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
  if (response && response.status() >= 500) {
    throw new Error(`medical-insurance answered ${response.status()} for ${path.split('?')[0]}`);
  }
  if (await main.evaluate((notice) => document.body?.innerText.includes(notice), TIMEOUT_NOTICE)) throw new SessionExpiredError();
  return main;
}

/** Opens `path` in the main frame and returns the frame, or throws SessionExpiredError. */
export async function openInMain(page: Page, baseUrl: string, path: string): Promise<Frame> {
  try {
    return await openFrame(page, baseUrl, path);
  } catch (error) {
    if (error instanceof SessionExpiredError) throw error;
    if (await bouncedToLogin(page)) throw new SessionExpiredError(undefined, { cause: error });
    throw error;
  }
}
