/**
 * 持证人查询 (PersonPermit.aspx): the permits of one holder. The holder is chosen in
 * the PersonPicker window; the page then posts back and shows a `permitDetail` table per
 * permit (a Repeater when there are several), whose 居住证号 is an image read with OCR,
 * or says no permit was found.
 */
import type { Locator, Page } from 'playwright-core';
import { type Ocr, parseRecord } from '../../runner/index.ts';
import { loadedImagePngs } from './loaded-images.ts';
import { PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { PersonPicker } from './person-picker.ts';
import { readNumberImage } from './read-number-image.ts';
import { UnreadableImageError } from './image-field.ts';
import { HolderPermit } from './schemas.ts';
import { openScreen, postBack } from './webform-navigation.ts';

const NO_PERMIT = '未查询到居住证信息';

/** Options of {@link PersonPermitPage.permitsOf}. */
export interface PermitsOfOptions {
  /**
   * Who reads a permit number OCR cannot (a person, through `ctx.ask`); given the image.
   * Asked for one number per holder: a second unreadable number refuses the record, as does
   * any unreadable number without it.
   */
  readUnreadable?: (png: Buffer) => Promise<string>;
}

/** `persons`: the permits a person holds. Reads their number images, so takes the run's `ocr`. */
export class PersonPermitPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** The permits of the person with `idNumber`, in the order shown; none when they hold none (or the system does not know them). */
  async permitsOf(idNumber: string, ocr: Ocr, options: PermitsOfOptions = {}): Promise<HolderPermit[]> {
    await openScreen(this.page, `${this.baseUrl}/PersonPermit.aspx`);
    const [popup] = await Promise.all([this.page.waitForEvent('popup'), this.page.getByRole('button', { name: '选择…' }).click()]);
    const picker = new PersonPicker(popup);
    try {
      if (!(await picker.find(idNumber))) return [];
      await postBack(this.page.mainFrame(), () => picker.choose());
    } finally {
      await picker.close();
    }
    if ((await this.page.getByText(NO_PERMIT, { exact: true }).count()) > 0) return [];
    // The detail tables have no caption; their ids (`permitDetail`, or a Repeater's `rptPermits_ctl00_permitDetail`) are the only hook.
    const tables = await this.page.locator('table[id$="permitDetail"]').all();
    if (tables.length === 0) {
      // The whole page's text, for the error message.
      throw new Error(`持证人查询 showed no permit: ${(await this.page.locator('body').innerText()).slice(0, 80)}`);
    }
    let readUnreadable = options.readUnreadable;
    const permits: HolderPermit[] = [];
    for (const table of tables) {
      const { readByPerson, ...permit } = await this.readDetail(table, ocr, readUnreadable);
      if (readByPerson) readUnreadable = undefined;
      permits.push(permit);
    }
    return permits;
  }

  private async readDetail(table: Locator, ocr: Ocr, readUnreadable: PermitsOfOptions['readUnreadable']): Promise<HolderPermit & { readByPerson: boolean }> {
    const cells = Object.fromEntries(await table.getByRole('row').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('th')?.textContent?.trim() ?? '', row.querySelector('td')?.textContent?.trim() ?? ''])));
    const [image] = await loadedImagePngs(table.getByRole('row').filter({ hasText: '居住证号' }).getByRole('img'));
    let readByPerson = false;
    const permitNo = await readNumberImage(ocr, image ?? null, PERMIT_NUMBER_FIELD).catch((error) => {
      if (!(error instanceof UnreadableImageError) || !readUnreadable) throw error;
      readByPerson = true;
      return readUnreadable(error.png);
    });
    return { ...parseRecord(HolderPermit, { permitNo, validUntil: cells['有效期至'], status: cells['状态'] }), readByPerson };
  }
}
