/** 持证人查询 through the bot: the person picker window, the postback to its opener and the permit read with OCR. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURE_ACCOUNTS } from '../../fixtures/data/accounts.ts';
import { createResidenceSystem } from '../../fixtures/residence/server.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useSystem } from '../../test/support/system.ts';
import type residence from './index.ts';
import { blankPng, replaceNumberImages, signedIn, TESSDATA } from './test-helpers.ts';

const browser = useBrowser();
const system = useSystem(createResidenceSystem, { account: FIXTURE_ACCOUNTS.residence, applicants: 60 });
const ocr = new OcrPool({ tessdataDir: TESSDATA, langs: ['eng'] });
let page: Page;
let pages: ReturnType<typeof residence.pages>;

beforeAll(async () => {
  ({ page, pages } = await signedIn(browser(), system().url, ocr));
});
afterAll(async () => {
  await page.context().close();
  await ocr.close();
});

describe('the permit of a holder', () => {
  it('returns the permit number read from its image, the expiry as ISO and the status', async () => {
    const holders = system().applicants.filter((applicant) => applicant.permit);
    for (const holder of holders.slice(0, 3)) {
      expect(await pages.persons.permitOf(holder.idNumber, ocr)).toEqual({
        permitNo: holder.permit!.permitNo, validUntil: holder.permit!.validUntil, status: '有效',
      });
    }
    expect(page.context().pages()).toEqual([page]);
  });

  it('returns null for a person the system knows without a permit', async () => {
    const local = system().applicants.find((applicant) => !applicant.permit)!;
    expect(await pages.persons.permitOf(local.idNumber, ocr)).toBeNull();
  });

  it('returns null for a 身份证号 the picker does not find, and closes the picker', async () => {
    expect(await pages.persons.permitOf('110101190001010000', ocr)).toBeNull();
    expect(page.context().pages()).toEqual([page]);
  });
});

describe('when the permit number image cannot be read reliably', () => {
  it('throws a BusinessError so the record goes to review', async () => {
    const { page: tampered, pages: tamperedPages } = await signedIn(browser(), system().url, ocr);
    await replaceNumberImages(tampered, blankPng());
    const holder = system().applicants.find((applicant) => applicant.permit)!;
    await expect(tamperedPages.persons.permitOf(holder.idNumber, ocr)).rejects.toMatchObject({
      name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)',
    });
    await tampered.context().close();
  });
});
