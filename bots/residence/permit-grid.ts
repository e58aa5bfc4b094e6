/**
 * The `gvPermits` grid inside PermitList's `gridFrame` iframe, ten rows a page. Its
 * pager posts the frame back with `__doPostBack('gvPermits','Page$N')`, so the URL
 * never changes: a page has arrived when the pager's current-page span shows it.
 */
import type { Frame, Locator } from 'playwright-core';
import { loadedImagePngs } from './loaded-images.ts';
import { postBack } from './webform-navigation.ts';

/** A grid row as shown: texts, and the 身份证号 and 居住证号 images (null when one did not load). */
export interface PermitGridRow {
  name: string;
  issuedOn: string;
  validUntil: string;
  idNumberImage: Buffer | null;
  permitNoImage: Buffer | null;
}

/** The grid in its frame: the rows of the page shown, and paging by postback. */
export class PermitGrid {
  private readonly table: Locator;
  private readonly pager: Locator;

  constructor(private readonly frame: Frame) {
    // GridView renders a bare table with no caption or labels; its id is the only hook.
    this.table = frame.locator('#gvPermits');
    // GridView's pager row carries a class; it holds a nested table of page links.
    this.pager = this.table.locator('tr.pager');
  }

  /** The data rows of the page shown. */
  async rows(): Promise<PermitGridRow[]> {
    if ((await this.table.count()) === 0) {
      // The whole page's text, for the error message.
      throw new Error(`residence showed no permit grid: ${(await this.frame.locator('body').innerText()).slice(0, 80)}`);
    }
    const headers = (await this.table.getByRole('columnheader').allTextContents()).map((text) => text.trim());
    const column = (label: string) => {
      const index = headers.indexOf(label);
      if (index < 0) throw new Error(`the permit grid has no ${label} column`);
      return index;
    };
    // Direct rows only: the pager row nests a table of its own.
    const rows = this.table.locator(':scope > tbody > tr:not(.pager):has(td)');
    const texts = await rows.evaluateAll((trs, columns) =>
      trs.map((tr) => columns.map((index) => tr.children[index]?.textContent?.trim() ?? '')),
    [column('姓名'), column('签发日期'), column('有效期至')]);
    // The image cells have no labels; their column is found by its header.
    const imagesIn = (label: string) => loadedImagePngs(rows.locator(`:scope > td:nth-child(${column(label) + 1}) img`));
    const [idNumbers, permitNos] = await Promise.all([imagesIn('身份证号'), imagesIn('居住证号')]);
    if (idNumbers.length !== texts.length || permitNos.length !== texts.length) throw new Error('a permit grid row lacks a number image');
    return texts.map(([name, issuedOn, validUntil], i) => ({
      name, issuedOn, validUntil, idNumberImage: idNumbers[i], permitNoImage: permitNos[i],
    }));
  }

  /** True when the pager links to page `n`. */
  async hasPage(n: number): Promise<boolean> {
    return (await this.pageLink(n).count()) > 0;
  }

  /** Posts the grid back to page `n` and waits until it is shown. */
  async goTo(n: number): Promise<void> {
    await postBack(this.frame, () => this.pageLink(n).click());
    // GridView shows the current page as the pager's only span, the others as links.
    const current = (await this.pager.locator('span').textContent())?.trim();
    if (current !== String(n)) throw new Error(`the permit grid showed page ${current} instead of ${n}`);
  }

  private pageLink(n: number): Locator {
    return this.pager.getByRole('link', { name: String(n), exact: true });
  }
}
