/** The case list (案件列表): which cases of a 事项 and status were accepted since a day. */
import type { Page } from 'playwright-core';
import { SessionExpiredError } from '../../runner/index.ts';

/** The list shows up to 500 rows per page when asked; fewer pages means fewer requests. */
const PAGE_SIZE = 500;

export class CaseListPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Case numbers of `matter` cases in `status`, accepted on or after `since` (YYYY-MM-DD). */
  async acceptedSince(since: string, filter: { matter: string; status: string }): Promise<string[]> {
    const query = new URLSearchParams({ status: filter.status, matter: filter.matter, from: since, size: String(PAGE_SIZE) });
    await this.page.goto(`${this.baseUrl}/cases?${query}`);
    if (this.page.url().includes('/login')) throw new SessionExpiredError();
    const caseNos: string[] = [];
    for (;;) {
      // The results table has no accessible name; its id is the stable hook.
      caseNos.push(...await this.page.locator('table#cases tbody a').allTextContents());
      const next = this.page.getByRole('link', { name: '下一页' });
      if ((await next.count()) === 0) return caseNos.map((caseNo) => caseNo.trim());
      await this.page.goto(new URL((await next.getAttribute('href'))!, this.page.url()).href);
    }
  }
}
