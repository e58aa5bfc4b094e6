/**
 * The medical-insurance bot logs in through the image captcha with real OCR, and a
 * misread captcha never counts towards the five-wrong-passwords lockout.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS } from '../../fixtures/data/accounts.ts';
import { createMedicalInsuranceSystem } from '../../fixtures/medical-insurance/server.ts';
import { createLogger } from '../../runner/logger.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import type { Ocr } from '../../runner/index.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useSystem } from '../../test/support/system.ts';
import medicalInsurance from './index.ts';

const browser = useBrowser();
const system = useSystem(createMedicalInsuranceSystem, { account: FIXTURE_ACCOUNTS.medicalInsurance, faults: { captcha: true }, applicants: 20 });
const ocr = new OcrPool({ tessdataDir: '/usr/share/tesseract-ocr/5/tessdata' });
const log = createLogger({ level: 'silent' });
afterAll(() => ocr.close());

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

async function logIn(readCaptchas: Ocr) {
  const page = await (await browser().newContext()).newPage();
  await medicalInsurance.login({ page, credentials: FIXTURE_ACCOUNTS.medicalInsurance, baseUrl: system().url, ocr: readCaptchas, log });
  return page;
}

describe('the medical-insurance login with the captcha on', () => {
  it('reads the captcha with OCR and lands on the frameset', async () => {
    const page = await logIn(ocr);
    expect(page.url()).toMatch(/\/index\.jsp$/);
    expect(page.frame({ name: 'main' })).not.toBeNull();
  });

  describe('when OCR misreads the captcha six times in a row', () => {
    it('tries fresh captchas until it gets in, and the account is not locked', async () => {
      const misreading = misreadingOcr(24);
      const page = await logIn(misreading);
      expect(page.url()).toMatch(/\/index\.jsp$/);
      expect(await logIn(ocr).then((again) => again.url())).toMatch(/\/index\.jsp$/);
    });
  });
});
