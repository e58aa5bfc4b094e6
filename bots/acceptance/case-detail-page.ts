/** The case detail screen (案件详情): reads a case's applicant into typed data. */
import type { Page } from 'playwright-core';
import { BusinessError, extractInFrame, parseRecord, readOverHttp, SessionExpiredError, type ReadsOver } from '../../runner/index.ts';
import { APPLICANT_LABELS, CaseApplicant } from './schemas.ts';

/** The detail table's label and value cells. It has no accessible name; its id is the stable hook. */
function applicantCells(document: Document): string[][] {
  return [...document.querySelectorAll('table#applicant tr')].map((row) =>
    [row.querySelector('th')?.textContent?.trim() ?? '', row.querySelector('td')?.textContent?.trim() ?? '']);
}

/** What opening the detail screen gave, by either path. */
interface DetailScreen {
  status: number;
  url: string;
  cells(): Promise<string[][]>;
}

export class CaseDetailPage {
  /** With `readsOver: 'http'` the detail screen is read without rendering it: it needs no script. */
  constructor(private readonly page: Page, private readonly baseUrl: string, private readonly options: { readsOver?: ReadsOver } = {}) {}

  /** The applicant of `caseNo`; a BusinessError when the case does not exist. */
  async applicant(caseNo: string): Promise<CaseApplicant> {
    const url = `${this.baseUrl}/cases/${encodeURIComponent(caseNo)}`;
    const screen = this.options.readsOver === 'http' ? await this.overHttp(url) : await this.inBrowser(url);
    if (new URL(screen.url).pathname === '/login') throw new SessionExpiredError();
    if (screen.status === 404) throw new BusinessError(`受理平台中不存在案件 ${caseNo} (case ${caseNo} does not exist in the acceptance platform)`);
    if (screen.status < 200 || screen.status >= 300) throw new Error(`acceptance answered ${screen.status} for case ${caseNo}`);
    const cells = await screen.cells();
    return parseRecord(CaseApplicant, Object.fromEntries(cells.filter(([label]) => label in APPLICANT_LABELS).map(([label, value]) => [APPLICANT_LABELS[label], value])));
  }

  private async inBrowser(url: string): Promise<DetailScreen> {
    const response = await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    return { status: response?.status() ?? 0, url: this.page.url(), cells: () => extractInFrame(this.page, applicantCells) };
  }

  private async overHttp(url: string): Promise<DetailScreen> {
    const screen = await readOverHttp(this.page, url);
    return { status: screen.status, url: screen.url, cells: async () => applicantCells(screen.document) };
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
