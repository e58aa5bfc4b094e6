/**
 * A click on a popup that closes the popup itself (a picker's 选择 writes back to its opener and
 * calls `window.close()`): the window can go before Playwright reports the click done, which
 * would fail the click with "Target page, context or browser has been closed".
 */
import type { Locator, Page } from 'playwright-core';

/** Clicks `target` in `popup` and resolves once the popup has closed; a click ended by that closing is no failure. */
export async function clickClosingPopup(popup: Page, target: Locator): Promise<void> {
  const closed = popup.waitForEvent('close');
  const click = target.click({ noWaitAfter: true }).catch((error: Error) => {
    if (!popup.isClosed()) throw error;
  });
  await Promise.all([closed, click]);
}
