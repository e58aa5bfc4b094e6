/**
 * 居住证查询 (PermitList.aspx): permits newly issued since a day. The search posts back
 * and the results load in the `gridFrame` iframe, read page by page through the
 * grid's postback pager; the numbers in each row are images, read with OCR.
 */
import type { Page } from 'playwright-core';
import { BusinessError, type Ocr, parseRecord, toChineseDate, toIsoDate, UnreadableRow } from '../../runner/index.ts';
import { ID_NUMBER_FIELD, PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { PermitGrid, type PermitGridRow } from './permit-grid.ts';
import { readNumberImage } from './read-number-image.ts';
import { PermitListing } from './schemas.ts';
import { openScreen, postBack, settled } from './webform-navigation.ts';

function toListing(row: PermitGridRow, idNumber: string, permitNo: string): PermitListing {
  return parseRecord(PermitListing, { name: row.name, idNumber, permitNo, issuedOn: row.issuedOn, validUntil: row.validUntil });
}

/** A row's listing, or what is known of a row whose numbers will not read; an image that did not load throws (transient). */
async function readListing(row: PermitGridRow, ocr: Ocr): Promise<{ listing: PermitListing } | { unreadable: Unreadable }> {
  const reads = await Promise.allSettled([
    readNumberImage(ocr, row.idNumberImage, ID_NUMBER_FIELD),
    readNumberImage(ocr, row.permitNoImage, PERMIT_NUMBER_FIELD),
  ]);
  const failures = reads.flatMap((read) => (read.status === 'rejected' ? [read.reason as Error] : []));
  const transient = failures.find((error) => error.name !== 'BusinessError');
  if (transient) throw transient;
  const [idNumber, permitNo] = reads.map((read) => (read.status === 'fulfilled' ? read.value : '?'));
  if (failures.length === 0) return { listing: toListing(row, idNumber, permitNo) };
  return { unreadable: { row, numbers: `${idNumber}|${permitNo}`, problem: failures[0].message } };
}

/** A row whose numbers did not read, with the numbers that did ('?' for the others). */
interface Unreadable {
  row: PermitGridRow;
  numbers: string;
  problem: string;
}

/**
 * The UnreadableRow of each unreadable row. Its ref is what did read (day, name, valid-until,
 * a number), numbered when two rows read alike; its reason names the row by day and position, never by name.
 */
function flagged(rows: (PermitListing | Unreadable)[]): (PermitListing | UnreadableRow)[] {
  const seen = new Map<string, number>();
  const perDay = new Map<string, number>();
  return rows.map((row) => {
    const day = toIsoDate('row' in row ? row.row.issuedOn : row.issuedOn);
    const position = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, position);
    if (!('row' in row)) return row;
    const base = [day, row.row.name, row.row.validUntil, row.numbers].join('|');
    const copies = (seen.get(base) ?? 0) + 1;
    seen.set(base, copies);
    return new UnreadableRow(
      `${base}#${copies}`,
      `居住证列表 ${day} 签发第 ${position} 行 (row ${position} of the permits issued that day): ${row.problem}`,
    );
  });
}

/** `permits`: newly issued permits, all since a day or one by number. Reads images, so takes the run's `ocr`. */
export class PermitListPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /**
   * Every permit issued on or after `since` (YYYY-MM-DD), in the grid's order: by 签发日期, then
   * 居住证号. A row whose numbers will not read reliably comes back as an UnreadableRow, so one
   * bad scan never stops the list; an image that did not load throws (transient).
   */
  async issuedSince(since: string, ocr: Ocr): Promise<(PermitListing | UnreadableRow)[]> {
    const rows: (PermitListing | Unreadable)[] = [];
    for await (const page of this.gridPages(since)) {
      const reads = await Promise.all(page.map((row) => readListing(row, ocr)));
      rows.push(...reads.map((read) => ('listing' in read ? read.listing : read.unreadable)));
    }
    return flagged(rows);
  }

  /**
   * The permit `permitNo` among those issued on `issuedOn`, or null. Only that day's
   * rows are read; an unreadable one of them is a BusinessError unless the permit is
   * found elsewhere among them, since it might be the one.
   */
  async find(permitNo: string, issuedOn: string, ocr: Ocr): Promise<PermitListing | null> {
    const day = toIsoDate(issuedOn);
    let unread: unknown;
    for await (const rows of this.gridPages(day)) {
      const sameDay = rows.filter((row) => toIsoDate(row.issuedOn) === day);
      const reads = await Promise.allSettled(sameDay.map((row) => readNumberImage(ocr, row.permitNoImage, PERMIT_NUMBER_FIELD)));
      const index = reads.findIndex((read) => read.status === 'fulfilled' && read.value === permitNo);
      if (index >= 0) return toListing(sameDay[index], await readNumberImage(ocr, sameDay[index].idNumberImage, ID_NUMBER_FIELD), permitNo);
      unread ??= reads.find((read) => read.status === 'rejected')?.reason;
      if (sameDay.length < rows.length) break;
    }
    if (unread) throw unread;
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
