/** 参保人员查询: finds registrations by 身份证号 and reads their 流水号. */
import type { Page } from 'playwright-core';
import { BusinessError } from '../../runner/index.ts';
import { openInMain } from './main-frame.ts';
import { Registration } from './schemas.ts';

const COLUMNS = ['serialNo', 'name', 'idNumber', 'gender', 'birthDate', 'insuranceKind', 'registeredAt'] as const;

export class EnrollmentSearch {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Every registration of a person, oldest first. */
  async byIdNumber(idNumber: string): Promise<Registration[]> {
    const main = await openInMain(this.page, this.baseUrl, `/cbdj/query.jsp?sfzh=${encodeURIComponent(idNumber)}`);
    // Frameset page with no labels or roles on the grid; its id is the only hook.
    const rows = await main.locator('table#resultTable tr:has(td)').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    return rows.map((cells) => Registration.parse(Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i]]))));
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
