/**
 * The 2005-era frameset: screens open in the `main` frame under `/index.jsp`. When the
 * session has lapsed, every page answers with a script that bounces the top window to
 * the login page; that answer becomes a SessionExpiredError here.
 */
import type { Frame, Page } from 'playwright-core';
import { SessionExpiredError } from '../../runner/errors.ts';

const BOUNCE = 'login.jsp?timeout=1';

/** Opens `path` in the main frame and returns the frame, or throws SessionExpiredError. */
export async function openInMain(page: Page, baseUrl: string, path: string): Promise<Frame> {
  if (!page.url().startsWith(`${baseUrl}/index.jsp`) || !page.frame({ name: 'main' })) {
    const response = await page.goto(`${baseUrl}/index.jsp`);
    if (!response || (await response.body()).includes(BOUNCE)) throw new SessionExpiredError();
  }
  const main = page.frame({ name: 'main' });
  if (!main) throw new SessionExpiredError('the frameset has no main frame');
  const response = await main.goto(`${baseUrl}${path}`);
  if (!response) throw new Error(`no response for ${path}`);
  if (response.status() >= 500) throw new Error(`medical-insurance answered ${response.status()} for ${path.split('?')[0]}`);
  if ((await response.body()).includes(BOUNCE)) throw new SessionExpiredError();
  return main;
}
