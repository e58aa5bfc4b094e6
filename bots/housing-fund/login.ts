/** The form log-in behind the Basic-auth gateway (the runner answers the gateway from the stored `http` account). */
import type { LoginContext } from '../../runner/index.ts';

export async function logIn({ page, credentials, baseUrl }: LoginContext): Promise<void> {
  await page.goto(`${baseUrl}/login.do`);
  await page.getByLabel('用户名').fill(credentials.username);
  await page.getByLabel('密码').fill(credentials.password);
  await page.getByRole('button', { name: '登录' }).click();
  // The menu, or the page's message: a bare element whose id is the only hook.
  await page.locator('#msg').or(page.getByText('个人开户')).first().waitFor();
  if (!new URL(page.url()).pathname.endsWith('/main.do')) {
    throw new Error(`housing-fund refused the login: ${(await page.locator('#msg').textContent().catch(() => null)) ?? 'no message'}`);
  }
}
