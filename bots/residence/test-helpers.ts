/** Helpers for the residence bot's tests: a page logged in through the bot with its page objects, and stand-in images. */
import { createCanvas } from '@napi-rs/canvas';
import type { Browser, Page } from 'playwright-core';
import { ACCOUNT } from '../../fixtures/residence/test-helpers.ts';
import type { Ocr } from '../../runner/index.ts';
import { logInWithBot } from '../../test/support/bot-login.ts';
import { usePage, type PageOptions } from '../../test/support/browser.ts';
import residence from './index.ts';

/** A page and the bot's page objects on it. */
export interface SignedIn {
  page: Page;
  pages: ReturnType<typeof residence.pages>;
}

/** Logs in through the bot's own `login`; throws the bot's error when the system refuses. */
export function logIn(page: Page, baseUrl: string, ocr: Ocr, password: string = ACCOUNT.password): Promise<void> {
  return logInWithBot(residence, page, { baseUrl, credentials: { username: ACCOUNT.username, password }, ocr });
}

/** A fresh context logged in through the bot, with the bot's page objects, per test or per suite; closed after. */
export function useSignedIn(browser: () => Browser, baseUrl: () => string, ocr: Ocr, per?: PageOptions['per']): () => SignedIn {
  let pages: SignedIn['pages'] | undefined;
  const page = usePage(browser, {
    per,
    setUp: async (opened) => {
      await logIn(opened, baseUrl(), ocr);
      pages = residence.pages(opened, baseUrl());
    },
  });
  return () => ({ page: page(), pages: pages! });
}

/** A white PNG with nothing drawn on it, standing in for a number image nobody can read. */
export function blankPng(): Buffer {
  const canvas = createCanvas(180, 36);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  return canvas.toBuffer('image/png');
}

/** Serves `png` for every number image the page loads from now on, instead of the system's. */
export async function replaceNumberImages(page: Page, png: Buffer): Promise<void> {
  await page.unrouteAll();
  await page.route('**/NumImage.ashx*', (route) => route.fulfill({ contentType: 'image/png', body: png }));
}
