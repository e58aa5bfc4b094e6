/**
 * 个人开户: a table-layout form whose captions are not linked to their inputs, a unit chosen
 * in a popup window, a certificate scan uploaded, and a 回执 PDF to download after 保存.
 */
import type { Page } from 'playwright-core';
import { openScreen } from './navigation.ts';
import { BusinessError, fieldByCaption } from '../../runner/index.ts';
import type { HousingAccountEntry, OpenedAccount } from './schemas.ts';
import { pickUnit } from './unit-picker.ts';

export class OpenAccountPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Opens the account; a BusinessError with the system's words when it refuses (a duplicate names the existing 个人账号). */
  async open(entry: HousingAccountEntry): Promise<OpenedAccount> {
    const { page } = this;
    await openScreen(page, `${this.baseUrl}/grzh/open.do`);
    const form = page.locator('#openTable');
    await fieldByCaption(form, '姓名').fill(entry.name);
    await fieldByCaption(form, '身份证号').fill(entry.idNumber);
    await fieldByCaption(form, '手机号').fill(entry.phone);
    await pickUnit(page, entry.unitKeyword);
    await fieldByCaption(form, '月缴存基数').fill(String(entry.monthlyBase));
    await fieldByCaption(form, '证件扫描件').setInputFiles({ name: 'zjsmj.png', mimeType: 'image/png', buffer: entry.scan });
    await page.getByRole('button', { name: '保存' }).click();
    // The result and the refusal are bare elements whose ids are the only hooks.
    await page.locator('#grzh').or(page.locator('#msg')).first().waitFor();
    if (await page.locator('#msg').count()) throw new BusinessError(`公积金系统拒绝开户：${await page.locator('#msg').textContent()}`);
    const account = ((await page.locator('#grzh').textContent()) ?? '').trim();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '下载回执' }).click();
    const receiptPdf = await readDownload(await download);
    return { account, receiptPdf };
  }
}

async function readDownload(download: { createReadStream(): Promise<NodeJS.ReadableStream> }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
