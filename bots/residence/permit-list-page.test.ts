/** 居住证查询 through the bot: permits issued since a day, read across postback pages with OCR. */
import { beforeAll, describe, expect, it } from 'vitest';
import { permitsOf, type Permit } from '../../fixtures/residence/permits.ts';
import { useResidence } from '../../fixtures/residence/test-helpers.ts';
import { renderTextPng } from '../../fixtures/text-image.ts';
import { UnreadableRow } from '../../runner/index.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useOcr } from '../../test/support/ocr.ts';
import { blankPng, replaceNumberImages, useSignedIn } from './test-helpers.ts';

const browser = useBrowser();
const system = useResidence({ applicants: 200 });
const ocr = useOcr({ langs: ['eng'] });
const signedIn = useSignedIn(browser, () => system().url, ocr, 'suite');
/** The last 25 or so permits: three grid pages, few enough to OCR quickly. */
let recent: { since: string; permits: Permit[] };

beforeAll(() => {
  const all = permitsOf(system().applicants);
  const since = all[all.length - 25].issuedOn;
  recent = { since, permits: all.filter((permit) => permit.issuedOn >= since) };
});

const listingOf = ({ name, idNumber, permitNo, issuedOn, validUntil }: Permit) => ({ name, idNumber, permitNo, issuedOn, validUntil });

describe('permits issued since a day', () => {
  it('returns exactly the permits the system holds, numbers read right, across three postback pages', async () => {
    expect(recent.permits.length).toBeGreaterThan(20);
    const pagerPostBacks: string[] = [];
    signedIn().page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/PermitGrid.aspx')) pagerPostBacks.push(request.postDataJSON().__EVENTARGUMENT);
    });
    expect(await signedIn().pages.permits.issuedSince(recent.since, ocr)).toEqual(recent.permits.map(listingOf));
    expect(pagerPostBacks).toEqual(['Page$2', 'Page$3']);
  });

  it('returns nothing for a day after the last issue', async () => {
    expect(await signedIn().pages.permits.issuedSince('2099-01-01', ocr)).toEqual([]);
  });
});

describe('finding one permit by its number and day of issue', () => {
  it('returns the permit, read from the grid', async () => {
    const permit = recent.permits[recent.permits.length - 3];
    expect(await signedIn().pages.permits.find(permit.permitNo, permit.issuedOn, ocr)).toEqual(listingOf(permit));
  });

  it('returns null when no permit of that day has the number', async () => {
    const permit = recent.permits[0];
    expect(await signedIn().pages.permits.find('JZ209900000001', permit.issuedOn, ocr)).toBeNull();
  });
});

describe('when a number image cannot be read reliably', () => {
  const tampered = useSignedIn(browser, () => system().url, ocr, 'suite');

  it('lists each row with blank images as an UnreadableRow naming its day, position and field, never a guess or a name', async () => {
    await replaceNumberImages(tampered().page, blankPng());
    const lastDay = recent.permits.filter((permit) => permit.issuedOn === recent.permits.at(-1)!.issuedOn);
    const rows = await tampered().pages.permits.issuedSince(lastDay[0].issuedOn, ocr);
    expect(rows).toHaveLength(lastDay.length);
    for (const [i, row] of rows.entries()) {
      expect(row).toBeInstanceOf(UnreadableRow);
      const { reason } = row as UnreadableRow;
      expect(reason).toMatch(new RegExp(`^居住证列表 ${lastDay[0].issuedOn} 签发第 ${i + 1} 行 .*: 无法可靠识别(身份证号|居住证号) \\(could not read the (ID|permit) number reliably\\)$`));
      expect(reason).not.toContain(lastDay[i].name);
    }
    expect(new Set(rows.map((row) => (row as UnreadableRow).ref)).size).toBe(rows.length);
  });

  it('throws a BusinessError for an image showing a cut-off number', async () => {
    await replaceNumberImages(tampered().page, renderTextPng('JZ2026000', { fontSize: 20 }));
    await expect(tampered().pages.permits.find(recent.permits[0].permitNo, recent.permits[0].issuedOn, ocr)).rejects.toMatchObject({
      name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)',
    });
  });

  it('treats an image that does not load as transient, not as bad data', async () => {
    await tampered().page.unrouteAll();
    await tampered().page.route('**/NumImage.ashx*', (route) => route.fulfill({ status: 500, body: '系统繁忙' }));
    const error = await tampered().pages.permits.issuedSince(recent.since, ocr).catch((caught: Error) => caught);
    expect(error).toMatchObject({ name: 'Error', message: expect.stringMatching(/image did not load$/) });
  });
});
