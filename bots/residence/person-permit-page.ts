/**
 * 持证人查询 (PersonPermit.aspx): the permit of one holder. The holder is chosen in
 * the PersonPicker window; the page then posts back and shows `permitDetail`, whose
 * 居住证号 is an image read with OCR, or says no permit was found.
 */
import type { Page } from 'playwright-core';
import { type Ocr, parseRecord } from '../../runner/index.ts';
import { loadedImagePngs } from './loaded-images.ts';
import { PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { PersonPicker } from './person-picker.ts';
import { readNumberImage } from './read-number-image.ts';
import { UnreadableImageError } from './image-field.ts';
import { HolderPermit } from './schemas.ts';
import { openScreen, postBack } from './webform-navigation.ts';

const NO_PERMIT = '未查询到居住证信息';

/** Options of {@link PersonPermitPage.permitOf}. */
export interface PermitOfOptions {
  /** Who reads the permit number when OCR cannot (a person, through `ctx.ask`); given the image. Without it, an unreadable number refuses the record. */
  readUnreadable?: (png: Buffer) => Promise<string>;
}

/** `persons`: the permit a person holds. Reads its number image, so takes the run's `ocr`. */
export class PersonPermitPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** The permit of the person with `idNumber`, or null when they hold none (or the system does not know them). */
  async permitOf(idNumber: string, ocr: Ocr, options: PermitOfOptions = {}): Promise<HolderPermit | null> {
    await openScreen(this.page, `${this.baseUrl}/PersonPermit.aspx`);
    const [popup] = await Promise.all([this.page.waitForEvent('popup'), this.page.getByRole('button', { name: '选择…' }).click()]);
    const picker = new PersonPicker(popup);
    try {
      if (!(await picker.find(idNumber))) return null;
      await postBack(this.page.mainFrame(), () => picker.choose());
    } finally {
      await picker.close();
    }
    if ((await this.page.getByText(NO_PERMIT, { exact: true }).count()) > 0) return null;
    return this.readDetail(ocr, options);
  }

  private async readDetail(ocr: Ocr, options: PermitOfOptions): Promise<HolderPermit> {
    // The detail table has no caption; its id is the only hook.
    const table = this.page.locator('#permitDetail');
    if ((await table.count()) === 0) {
      // The whole page's text, for the error message.
      throw new Error(`持证人查询 showed no permit: ${(await this.page.locator('body').innerText()).slice(0, 80)}`);
    }
    const cells = Object.fromEntries(await table.getByRole('row').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('th')?.textContent?.trim() ?? '', row.querySelector('td')?.textContent?.trim() ?? ''])));
    const [image] = await loadedImagePngs(table.getByRole('row').filter({ hasText: '居住证号' }).getByRole('img'));
    const permitNo = await readNumberImage(ocr, image ?? null, PERMIT_NUMBER_FIELD).catch((error) => {
      if (!(error instanceof UnreadableImageError) || !options.readUnreadable) throw error;
      return options.readUnreadable(error.png);
    });
    return parseRecord(HolderPermit, { permitNo, validUntil: cells['有效期至'], status: cells['状态'] });
  }
}
