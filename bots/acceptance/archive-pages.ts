/**
 * The 电子档案袋 (e-archive): filing a certificate for a person, and finding what is
 * already filed, so later applications reuse it instead of asking for a scan.
 */
import type { Page } from 'playwright-core';
import { BusinessError, SessionExpiredError } from '../../runner/index.ts';
import type { ArchiveEntry } from './schemas.ts';

const ARCHIVE_NO = /档案编号[:：]\s*(DA\d+)/;

export class ArchivePages {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  private async open(path: string): Promise<number> {
    const response = await this.page.goto(`${this.baseUrl}${path}`);
    if (this.page.url().includes('/login')) throw new SessionExpiredError();
    return response?.status() ?? 0;
  }

  /** The 档案编号 of this certificate if the person's archive already holds it, else null. */
  async archiveNoOf(idNumber: string, certNo: string): Promise<string | null> {
    const status = await this.open(`/archive?idNumber=${encodeURIComponent(idNumber)}`);
    if (status >= 500) throw new Error(`acceptance answered ${status} on the archive search`);
    // The archive table has no accessible name; its id is the stable hook.
    const rows = await this.page.locator('table#archive tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    return rows.find((cells) => cells[2] === certNo)?.[0] ?? null;
  }

  /** Files a certificate and returns its 档案编号. */
  async file(entry: ArchiveEntry): Promise<string> {
    await this.open('/archive/new');
    await this.page.getByLabel('公民身份号码').fill(entry.idNumber);
    await this.page.getByLabel('姓名').fill(entry.name);
    await this.page.getByLabel('证照类型').selectOption({ label: entry.certType });
    await this.page.getByLabel('证照号码').fill(entry.certNo);
    await this.page.getByLabel('签发日期').fill(entry.issuedOn);
    await this.page.getByLabel('有效期至').fill(entry.validUntil);
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/archive') && r.request().method() === 'POST'),
      this.page.getByRole('button', { name: '归档' }).click(),
    ]);
    if (response.status() >= 500) throw new Error(`acceptance answered ${response.status()} after filing; the entry may have been stored`);
    if (response.status() === 400) throw new BusinessError(`受理平台拒绝归档: ${await this.page.getByRole('alert').textContent()}`);
    const archiveNo = ARCHIVE_NO.exec((await this.page.getByRole('status').textContent()) ?? '')?.[1];
    if (!archiveNo) throw new Error('no 档案编号 after filing');
    return archiveNo;
  }
}
