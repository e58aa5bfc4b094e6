/** The case detail screen (案件详情): reads a case's applicant into typed data. */
import type { Page } from 'playwright-core';
import { BusinessError, parseRecord, SessionExpiredError } from '../../runner/index.ts';
import { APPLICANT_LABELS, CaseApplicant } from './schemas.ts';

export class CaseDetailPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** The applicant of `caseNo`; a BusinessError when the case does not exist. */
  async applicant(caseNo: string): Promise<CaseApplicant> {
    const response = await this.page.goto(`${this.baseUrl}/cases/${encodeURIComponent(caseNo)}`, { waitUntil: 'domcontentloaded' });
    if (this.page.url().includes('/login')) throw new SessionExpiredError();
    if (response?.status() === 404) throw new BusinessError(`受理平台中不存在案件 ${caseNo} (case ${caseNo} does not exist in the acceptance platform)`);
    if (!response?.ok()) throw new Error(`acceptance answered ${response?.status()} for case ${caseNo}`);
    // The detail table has no accessible name; its id is the stable hook.
    const cells = await this.page.locator('table#applicant tr').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('th')?.textContent?.trim() ?? '', row.querySelector('td')?.textContent?.trim() ?? '']));
    const fields = Object.fromEntries(cells.filter(([label]) => label in APPLICANT_LABELS).map(([label, value]) => [APPLICANT_LABELS[label], value]));
    return parseRecord(CaseApplicant, fields);
  }

  /** The scanned 居住证 attached to `caseNo` (PNG), or null when the case has none. */
  async permitScan(caseNo: string): Promise<Buffer | null> {
    const response = await this.page.request.get(`${this.baseUrl}/cases/${encodeURIComponent(caseNo)}/attachments/permit.png`, { maxRedirects: 0 });
    if (response.status() === 404) return null;
    if (response.status() === 302 || response.status() === 303) throw new SessionExpiredError();
    if (!response.ok()) throw new Error(`acceptance answered ${response.status()} for the permit scan of case ${caseNo}`);
    return response.body();
  }
}
