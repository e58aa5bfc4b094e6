/** Logging in through a form labelled 用户名 and 密码 with a 登录 button, as a person would. */
import type { Page } from 'playwright-core';

/** Fills 用户名 and 密码 on the page's log-in form and clicks 登录; waiting for what follows is the caller's. */
export async function fillLogInForm(page: Page, credentials: { username: string; password: string }): Promise<void> {
  await page.getByLabel('用户名').fill(credentials.username);
  await page.getByLabel('密码').fill(credentials.password);
  await page.getByRole('button', { name: '登录' }).click();
}
