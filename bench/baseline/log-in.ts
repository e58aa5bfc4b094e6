/**
 * The baseline's logins: the acceptance form, and the medical-insurance form with its
 * image captcha read by the same OCR an integrator would need (retried until it passes).
 */
import type { Page } from 'playwright-core';
import { CAPTCHA_ALPHABET } from '../../bots/medical-insurance/login.ts';
import { readCaptcha } from '../../runner/ocr/captcha.ts';
import type { Ocr } from '../../runner/ocr/types.ts';

type Login = { username: string; password: string };

export async function logInToAcceptance(page: Page, baseUrl: string, login: Login): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(login.username);
  await page.getByLabel('密码').fill(login.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: '登录' }).click()]);
}

export async function logInToMedicalInsurance(page: Page, baseUrl: string, login: Login, ocr: Ocr): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.goto(`${baseUrl}/login.jsp`);
    const captcha = await readCaptcha(ocr, await page.locator('img#captchaImg').screenshot(), { alphabet: CAPTCHA_ALPHABET, length: 4 });
    await page.locator('input[name=yhm]').fill(login.username);
    await page.locator('input[name=mm]').fill(login.password);
    await page.locator('input[name=yzm]').fill(captcha);
    await Promise.all([page.waitForNavigation(), page.locator('input[type=submit]').click()]);
    if (page.url().includes('/index.jsp')) return;
  }
  throw new Error('medical-insurance login: the captcha was not read in 10 tries');
}
