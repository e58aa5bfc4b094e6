/**
 * Moving around a WebForms system: every screen posts back to itself, so a click that
 * changes the page is a form submit, not a URL change. A page or frame that lands on
 * Login.aspx means the session expired; a 5xx is transient and retried by the runner.
 */
import type { Frame, Page } from 'playwright-core';
import { SessionExpiredError } from '../../runner/index.ts';

/** True when the page or frame shows the login page. */
export function onLoginPage(target: Page | Frame): boolean {
  return target.url().split(/[?#]/)[0].endsWith('/Login.aspx');
}

function assertSignedIn(target: Page | Frame): void {
  if (onLoginPage(target)) throw new SessionExpiredError('the residence system sent the bot back to Login.aspx');
}

/** Opens `url` in the page; throws SessionExpiredError on a bounce to the login, an Error on a 5xx. */
export async function openScreen(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  assertSignedIn(page);
  if (response && response.status() >= 500) throw new Error(`residence answered ${response.status()} for ${new URL(url).pathname}`);
}

/** Runs `act` (a click that posts `frame` back) and waits until the new document has loaded. */
export async function postBack(frame: Frame, act: () => Promise<void>): Promise<void> {
  // Postbacks keep the URL, so waitForURL cannot see them; waiting before acting is not racy.
  const navigated = frame.waitForNavigation({ waitUntil: 'domcontentloaded' });
  navigated.catch(() => {}); // when `act` fails first, its error is the one to report
  await act();
  const response = await navigated;
  assertSignedIn(frame);
  if (response && response.status() >= 500) throw new Error(`residence answered ${response.status()} to a postback`);
}

/** Waits for the frame's document (and its images) to load, then checks the session. */
export async function settled(frame: Frame): Promise<Frame> {
  await frame.waitForLoadState('load');
  assertSignedIn(frame);
  return frame;
}
