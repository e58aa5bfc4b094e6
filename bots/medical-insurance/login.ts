/**
 * Login with the image captcha. A captcha that OCR cannot read as four characters is
 * reloaded before anything is submitted; "验证码错误" gets a fresh captcha. A wrong
 * captcha never counts towards the five-wrong-passwords lockout, so retrying is safe.
 */
import { type LoginContext, LoginRefusedError, readCaptcha } from '../../runner/index.ts';

/** The characters the system's captchas use (it leaves out look-alikes such as 0/O and 1/I). */
export const CAPTCHA_ALPHABET = 'ABCDEFHJKMNPRSTUVWXYZ2345678';
const MAX_TRIES = 10;

async function solveCaptchaOnPage({ page, ocr }: LoginContext): Promise<string | null> {
  // The captcha image has no accessible name; its id is the stable hook.
  const image = page.locator('img#captchaImg');
  if ((await image.count()) === 0) return '';
  const text = await readCaptcha(ocr, await image.screenshot(), { alphabet: CAPTCHA_ALPHABET, length: 4 });
  return /^[A-Z0-9]{4}$/.test(text) ? text : null;
}

export async function logIn(context: LoginContext): Promise<void> {
  const { page, credentials, baseUrl } = context;
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    await page.goto(`${baseUrl}/login.jsp`);
    const captcha = await solveCaptchaOnPage(context);
    if (captcha === null) continue;
    // 2005 login form: inputs are known only by `name`, with no <label> elements.
    await page.locator('input[name=yhm]').fill(credentials.username);
    await page.locator('input[name=mm]').fill(credentials.password);
    if (captcha) await page.locator('input[name=yzm]').fill(captcha);
    await Promise.all([page.waitForNavigation(), page.locator('input[type=submit]').click()]);
    if (page.url().includes('/index.jsp')) return;
    const message = (await page.locator('div.msg').textContent().catch(() => ''))?.trim() ?? '';
    if (message.includes('验证码错误')) continue;
    // The account itself is refused: trying again would only walk it into the five-wrong-passwords lockout.
    if (/密码错误|锁定/.test(message)) throw new LoginRefusedError(`medical-insurance refused the account: ${message}`);
    throw new Error(`medical-insurance refused the login: ${message || 'no message'}`);
  }
  throw new Error(`medical-insurance login: the captcha was not read in ${MAX_TRIES} tries`);
}
