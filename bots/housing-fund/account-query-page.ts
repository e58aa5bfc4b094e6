/** 个人账户查询: the result grid arrives by XHR seconds after the page (15 s on a busy day). */
import type { Page } from 'playwright-core';
import { openScreen } from './navigation.ts';

/** How long the grid may take: the system's slowest days plus a margin. */
const GRID_MS = 30_000;

export class AccountQueryPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** The 个人账号 opened for this 身份证号, or null. */
  async accountOf(idNumber: string): Promise<string | null> {
    await openScreen(this.page, `${this.baseUrl}/cx/query.do?sfzh=${encodeURIComponent(idNumber)}`);
    // The grid replaces a loading note; its id is the only hook.
    const grid = this.page.locator('#gridTable');
    await grid.waitFor({ timeout: GRID_MS });
    const account = grid.getByRole('link').first();
    return (await account.count()) ? ((await account.textContent()) ?? '').trim() : null;
  }
}
