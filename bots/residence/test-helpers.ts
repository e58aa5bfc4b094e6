/** Helpers for the residence bot's tests: a signed-in page with the bot's page objects, and stand-in images. */
import { createCanvas } from '@napi-rs/canvas';
import type { Browser, Page } from 'playwright-core';
import { FIXTURE_ACCOUNTS } from '../../fixtures/data/accounts.ts';
import { createLogger } from '../../runner/logger.ts';
import type { Ocr } from '../../runner/index.ts';
import residence from './index.ts';

/** Debian's tesseract language data, as the runner's default config has it. */
export const TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';

/** A fresh context logged in through the bot's own `login` (closed again if that fails), with the bot's page objects. */
export async function signedIn(browser: Browser, baseUrl: string, ocr: Ocr, password: string = FIXTURE_ACCOUNTS.residence.password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const credentials = { username: FIXTURE_ACCOUNTS.residence.username, password };
  try {
    await residence.login({ page, credentials, baseUrl, ocr, log: createLogger({ level: 'silent' }) });
  } catch (error) {
    await context.close();
    throw error;
  }
  return { page, pages: residence.pages(page, baseUrl) };
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
