/** 持证人查询 through the bot: the person picker window, the postback to its opener and the permit read with OCR. */
import { describe, expect, it } from 'vitest';
import { useResidence } from '../../fixtures/residence/test-helpers.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useOcr } from '../../test/support/ocr.ts';
import { blankPng, replaceNumberImages, useSignedIn } from './test-helpers.ts';

const browser = useBrowser();
const system = useResidence({ applicants: 60 });
const ocr = useOcr({ langs: ['eng'] });
const signedIn = useSignedIn(browser, () => system().url, ocr, 'suite');

describe('the permit of a holder', () => {
  it('returns the permit number read from its image, the expiry as ISO and the status', async () => {
    const { page, pages } = signedIn();
    const holders = system().applicants.filter((applicant) => applicant.permit);
    for (const holder of holders.slice(0, 3)) {
      expect(await pages.persons.permitOf(holder.idNumber, ocr)).toEqual({
        permitNo: holder.permit!.permitNo, validUntil: holder.permit!.validUntil, status: '有效',
      });
    }
    expect(page.context().pages()).toEqual([page]);
  });

  it('returns null for a person the system knows without a permit', async () => {
    const { pages } = signedIn();
    const local = system().applicants.find((applicant) => !applicant.permit)!;
    expect(await pages.persons.permitOf(local.idNumber, ocr)).toBeNull();
  });

  it('returns null for a 身份证号 the picker does not find, and closes the picker', async () => {
    const { page, pages } = signedIn();
    expect(await pages.persons.permitOf('110101190001010000', ocr)).toBeNull();
    expect(page.context().pages()).toEqual([page]);
  });
});

describe('when the permit number image cannot be read reliably', () => {
  const tampered = useSignedIn(browser, () => system().url, ocr);

  it('throws a BusinessError so the record goes to review', async () => {
    const { page, pages } = tampered();
    await replaceNumberImages(page, blankPng());
    const holder = system().applicants.find((applicant) => applicant.permit)!;
    await expect(pages.persons.permitOf(holder.idNumber, ocr)).rejects.toMatchObject({
      name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)',
    });
  });
});
