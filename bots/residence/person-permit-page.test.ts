/** 持证人查询 through the bot: the person picker window, the postback to its opener and the permits read with OCR. */
import { describe, expect, it } from 'vitest';
import { setFixtureFaults } from '../../fixtures/control.ts';
import { secondPermitOf } from '../../fixtures/residence/permits.ts';
import { useResidence } from '../../fixtures/residence/test-helpers.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useOcr } from '../../test/support/ocr.ts';
import { blankPng, replaceNumberImages, useSignedIn } from './test-helpers.ts';

const browser = useBrowser();
const system = useResidence({ applicants: 60 });
/** The second holder of a permit is given two (the `secondPermits` knob). */
const twoPermitHolder = () => system().applicants.filter((applicant) => applicant.permit)[1];
const ocr = useOcr({ langs: ['eng'] });
const signedIn = useSignedIn(browser, () => system().url, ocr, 'suite');

describe('the permits of a holder', () => {
  it('returns the permit number read from its image, the expiry as ISO and the status', async () => {
    const { page, pages } = signedIn();
    const holders = system().applicants.filter((applicant) => applicant.permit);
    for (const holder of [holders[0], holders[2]]) {
      expect(await pages.persons.permitsOf(holder.idNumber, ocr)).toEqual([{
        permitNo: holder.permit!.permitNo, validUntil: holder.permit!.validUntil, status: '有效',
      }]);
    }
    expect(page.context().pages()).toEqual([page]);
  });

  it('returns both permits of a holder the system shows two for, in the order shown', async () => {
    const { pages } = signedIn();
    const holder = twoPermitHolder();
    await setFixtureFaults(system().url, { secondPermits: [holder.idNumber] });
    const second = secondPermitOf({ ...holder, ...holder.permit! });
    expect(await pages.persons.permitsOf(holder.idNumber, ocr)).toEqual([
      { permitNo: holder.permit!.permitNo, validUntil: holder.permit!.validUntil, status: '有效' },
      { permitNo: second.permitNo, validUntil: second.validUntil, status: '有效' },
    ]);
  });

  it('returns none for a person the system knows without a permit', async () => {
    const { pages } = signedIn();
    const local = system().applicants.find((applicant) => !applicant.permit)!;
    expect(await pages.persons.permitsOf(local.idNumber, ocr)).toEqual([]);
  });

  it('returns none for a 身份证号 the picker does not find, and closes the picker', async () => {
    const { page, pages } = signedIn();
    expect(await pages.persons.permitsOf('110101190001010000', ocr)).toEqual([]);
    expect(page.context().pages()).toEqual([page]);
  });
});

describe('when the permit number image cannot be read reliably', () => {
  const tampered = useSignedIn(browser, () => system().url, ocr);

  it('throws a BusinessError so the record goes to review', async () => {
    const { page, pages } = tampered();
    await replaceNumberImages(page, blankPng());
    const holder = system().applicants.find((applicant) => applicant.permit)!;
    await expect(pages.persons.permitsOf(holder.idNumber, ocr)).rejects.toMatchObject({
      name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)',
    });
  });
});
