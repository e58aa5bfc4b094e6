/** 参保人员查询: finds registrations by 身份证号 and reads their 流水号. */
import type { Page } from 'playwright-core';
import { BusinessError, extractInFrame, readOverHttp, SessionExpiredError, type ReadsOver } from '../../runner/index.ts';
import { openInMain, TIMEOUT_NOTICE } from './main-frame.ts';
import { Registration } from './schemas.ts';

const COLUMNS = ['serialNo', 'name', 'idNumber', 'gender', 'birthDate', 'insuranceKind', 'registeredAt'] as const;

/** The result grid's data rows. Frameset page with no labels or roles on the grid; its id is the only hook. */
function resultCells(document: Document): string[][] {
  return [...document.querySelectorAll('table#resultTable tr')].filter((tr) => tr.querySelector('td'))
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
}

export class EnrollmentSearch {
  /**
   * With `readsOver: 'http'` the query screen is read without rendering it (it needs no
   * script); the GBK page is fetched with the session's cookies, as the `main` frame would load it.
   */
  constructor(private readonly page: Page, private readonly baseUrl: string, private readonly options: { readsOver?: ReadsOver } = {}) {}

  /** Every registration of a person, oldest first. */
  async byIdNumber(idNumber: string): Promise<Registration[]> {
    const path = `/cbdj/query.jsp?sfzh=${encodeURIComponent(idNumber)}`;
    const rows = this.options.readsOver === 'http' ? await this.overHttp(path) : await extractInFrame(await openInMain(this.page, this.baseUrl, path), resultCells);
    return rows.map((cells) => Registration.parse(Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i]]))));
  }

  private async overHttp(path: string): Promise<string[][]> {
    const screen = await readOverHttp(this.page, `${this.baseUrl}${path}`);
    if (screen.status >= 500) throw new Error(`medical-insurance answered ${screen.status} for ${path.split('?')[0]}`);
    if (screen.document.body?.textContent?.includes(TIMEOUT_NOTICE) || new URL(screen.url).pathname === '/login.jsp') throw new SessionExpiredError();
    return resultCells(screen.document);
  }

  /** The receipt of the person's registration, or null when there is none. */
  async receiptOf(idNumber: string): Promise<string | null> {
    const [first] = await this.byIdNumber(idNumber);
    return first?.serialNo ?? null;
  }

  /** Confirms the receipt is registered to this person; a BusinessError otherwise. */
  async expectRegistered(receipt: string, idNumber: string, name: string): Promise<void> {
    const match = (await this.byIdNumber(idNumber)).find((row) => row.serialNo === receipt);
    if (!match) throw new BusinessError(`流水号 ${receipt} 未在参保人员查询中找到 (receipt ${receipt} not found)`);
    if (match.name !== name) throw new BusinessError(`流水号 ${receipt} 的姓名与记录不符 (name on receipt ${receipt} differs)`);
  }
}
