/** Shared Chromium for a test file, and pages in fresh contexts that are closed after their tests. */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium } from '../../runner/browser/chromium.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Registers beforeAll/afterAll hooks and returns a getter for the browser. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(CHROMIUM_PATH);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('browser not started');
    return browser;
  };
}

export interface PageOptions {
  /** A fresh page for each test, or one shared by every test of the enclosing describe or file. @defaultValue 'test' */
  per?: 'test' | 'suite';
  /** Readies the page before it is handed over, e.g. logs in; the context is closed if it throws. */
  setUp?: (page: Page) => Promise<void>;
  context?: BrowserContextOptions;
}

/** A page in a fresh browser context of its own: set up, handed over, and its context closed after. */
export function usePage(browser: () => Browser, options: PageOptions = {}): () => Page {
  let page: Page | undefined;
  const open = async () => {
    page = await (await browser().newContext(options.context)).newPage();
    try {
      await options.setUp?.(page);
    } catch (error) {
      await page.context().close();
      throw error;
    }
  };
  const close = async () => {
    await page?.context().close();
    page = undefined;
  };
  if (options.per === 'suite') {
    beforeAll(open);
    afterAll(close);
  } else {
    beforeEach(open);
    afterEach(close);
  }
  return () => {
    if (!page) throw new Error('page not open');
    return page;
  };
}
