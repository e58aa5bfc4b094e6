/**
 * 居住证查询 (PermitList.aspx): permits newly issued since a day. The search posts back
 * and the results load in the `gridFrame` iframe, read page by page through the
 * grid's postback pager; the numbers in each row are images, read with OCR.
 */
import type { Page } from 'playwright-core';
import { BusinessError, type Ocr, parseRecord, toChineseDate, toIsoDate } from '../../runner/index.ts';
import { ID_NUMBER_FIELD, PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { PermitGrid, type PermitGridRow } from './permit-grid.ts';
import { readNumberImage } from './read-number-image.ts';
import { PermitListing } from './schemas.ts';
import { openScreen, postBack, settled } from './webform-navigation.ts';

function toListing(row: PermitGridRow, idNumber: string, permitNo: string): PermitListing {
  return parseRecord(PermitListing, { name: row.name, idNumber, permitNo, issuedOn: row.issuedOn, validUntil: row.validUntil });
}

async function readListing(row: PermitGridRow, ocr: Ocr): Promise<PermitListing> {
  const [idNumber, permitNo] = await Promise.all([
    readNumberImage(ocr, row.idNumberImage, ID_NUMBER_FIELD),
    readNumberImage(ocr, row.permitNoImage, PERMIT_NUMBER_FIELD),
  ]);
  return toListing(row, idNumber, permitNo);
}

/** `permits`: newly issued permits, all since a day or one by number. Reads images, so takes the run's `ocr`. */
export class PermitListPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Every permit issued on or after `since` (YYYY-MM-DD), in the grid's order: by 签发日期, then 居住证号. */
  async issuedSince(since: string, ocr: Ocr): Promise<PermitListing[]> {
    const listings: PermitListing[] = [];
    for await (const rows of this.gridPages(since)) listings.push(...await Promise.all(rows.map((row) => readListing(row, ocr))));
    return listings;
  }

  /**
   * The permit `permitNo` among those issued on `issuedOn`, or null. Only that day's
   * rows are read; an unreadable one of them is a BusinessError unless the permit is
   * found elsewhere on its page, since it might be the one.
   */
  async find(permitNo: string, issuedOn: string, ocr: Ocr): Promise<PermitListing | null> {
    const day = toIsoDate(issuedOn);
    for await (const rows of this.gridPages(day)) {
      const sameDay = rows.filter((row) => toIsoDate(row.issuedOn) === day);
      const reads = await Promise.allSettled(sameDay.map((row) => readNumberImage(ocr, row.permitNoImage, PERMIT_NUMBER_FIELD)));
      const index = reads.findIndex((read) => read.status === 'fulfilled' && read.value === permitNo);
      if (index >= 0) return toListing(sameDay[index], await readNumberImage(ocr, sameDay[index].idNumberImage, ID_NUMBER_FIELD), permitNo);
      const failed = reads.find((read) => read.status === 'rejected');
      if (failed) throw failed.reason;
      if (sameDay.length < rows.length) return null;
    }
    return null;
  }

  /** The grid's rows for a search since `since`, one page at a time. */
  private async *gridPages(since: string): AsyncGenerator<PermitGridRow[]> {
    const grid = await this.search(since);
    for (let n = 1; ; n++) {
      yield await grid.rows();
      if (!(await grid.hasPage(n + 1))) return;
      await grid.goTo(n + 1);
    }
  }

  private async search(since: string): Promise<PermitGrid> {
    await openScreen(this.page, `${this.baseUrl}/PermitList.aspx`);
    await this.page.getByLabel('签发日期起').fill(toChineseDate(since));
    await postBack(this.page.mainFrame(), () => this.page.getByRole('button', { name: '查询' }).click());
    // The results iframe has no title; its id is the only hook.
    const iframe = this.page.locator('iframe#gridFrame');
    if ((await iframe.count()) === 0) {
      // WebForms Label: a bare span whose id is the only hook.
      const [message] = await this.page.locator('#lblMsg').allTextContents();
      throw new BusinessError(`居住证系统拒绝了查询条件 (the search was refused): ${message ?? 'no grid shown'}`);
    }
    const frame = await (await iframe.elementHandle()).contentFrame();
    if (!frame) throw new Error('the permit grid iframe has no document');
    return new PermitGrid(await settled(frame));
  }
}
