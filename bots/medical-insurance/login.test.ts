/**
 * The medical-insurance bot logs in through the image captcha with real OCR, and a
 * misread captcha never counts towards the five-wrong-passwords lockout.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS } from '../../fixtures/data/accounts.ts';
import { useMedicalInsurance } from '../../fixtures/medical-insurance/test-helpers.ts';
import type { Ocr } from '../../runner/index.ts';
import { logInWithBot } from '../../test/support/bot-login.ts';
import { useBrowser, usePage } from '../../test/support/browser.ts';
import { useOcr } from '../../test/support/ocr.ts';
import medicalInsurance from './index.ts';

const browser = useBrowser();
const system = useMedicalInsurance({ faults: { captcha: true }, applicants: 20 });
const ocr = useOcr();
const page = usePage(browser);

/** Reads wrong on its first `misreads` captchas, then passes reads through to real OCR. */
function misreadingOcr(misreads: number): Ocr & { reads: number } {
  return {
    reads: 0,
    async read(png, options) {
      this.reads++;
      return this.reads <= misreads ? 'ZZZZ' : ocr.read(png, options);
    },
  };
}

async function logIn(on: Page, readCaptchas: Ocr): Promise<Page> {
  await logInWithBot(medicalInsurance, on, { baseUrl: system().url, credentials: FIXTURE_ACCOUNTS.medicalInsurance, ocr: readCaptchas });
  return on;
}

describe('the medical-insurance login with the captcha on', () => {
  it('reads the captcha with OCR and lands on the frameset', async () => {
    await logIn(page(), ocr);
    expect(page().url()).toMatch(/\/index\.jsp$/);
    expect(page().frame({ name: 'main' })).not.toBeNull();
  });

  describe('when OCR misreads the captcha six times in a row', () => {
    const again = usePage(browser);

    it('tries fresh captchas until it gets in, and the account is not locked', async () => {
      const misreading = misreadingOcr(24);
      await logIn(page(), misreading);
      expect(page().url()).toMatch(/\/index\.jsp$/);
      expect(await logIn(again(), ocr).then((second) => second.url())).toMatch(/\/index\.jsp$/);
    });
  });
});
