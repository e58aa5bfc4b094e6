/**
 * What `ferry new bot` reads off a system's log-in page: the account and password fields, a
 * captcha field and its image if there is one, and the button that logs in, each with a
 * locator checked on the live page.
 */
import type { Page } from 'playwright-core';
import { InputError } from '../../runner/errors.ts';
import { planCode, scopeCode, type LocatorPlan } from '../../runner/screen/locator-plans.ts';
import { readScreen, type PlannedControl } from '../../runner/screen/read-screen.ts';

/** The log-in form's parts, as page-object code on `page`. */
export interface LoginScreen {
  title: string;
  /** Path of the log-in page under the system's base URL, e.g. `/login.jsp`. */
  path: string;
  user: string;
  password: string;
  submit: string;
  /** The captcha's text field and image, when the form has one. */
  captcha?: { field: string; image: string };
}

const CAPTCHA = /验证码|校验码|captcha|yzm|vcode|checkcode|verify/i;

const codeOf = (planned: PlannedControl, path: string[]) => planCode(planned.plan as LocatorPlan, scopeCode(path, 'page'));

/** The selector of the captcha image in the frame of the password field, if any. */
async function captchaImage(page: Page, framePath: string[]): Promise<string | undefined> {
  const scope = framePath.reduce<Page | ReturnType<Page['frameLocator']>>((at, selector) => at.frameLocator(selector), page);
  const images = scope.locator('img');
  for (let i = 0; i < (await images.count()); i++) {
    const [id, src] = await Promise.all([images.nth(i).getAttribute('id'), images.nth(i).getAttribute('src')]);
    if (id && CAPTCHA.test(id)) return `img#${id}`;
    if (src && CAPTCHA.test(src)) return `img[src*="${src.split('?')[0].split('/').pop()}"]`;
  }
  return undefined;
}

/** Reads the log-in form of the page at `url` (already loaded); an InputError when it shows none. */
export async function readLoginScreen(page: Page, url: string): Promise<LoginScreen> {
  const frames = await readScreen(page);
  const frame = frames.find((candidate) => candidate.controls.some(({ control }) => control.kind === 'password'));
  if (!frame) throw new InputError(`${url} shows no password field; give the URL of the system's log-in page.`);
  const controls = frame.controls;
  const passwordAt = controls.findIndex(({ control }) => control.kind === 'password');
  const user = controls.slice(0, passwordAt).reverse().find(({ control }) => control.kind === 'text');
  const captcha = controls.slice(passwordAt + 1).find(({ control }) => control.kind === 'text' && CAPTCHA.test(`${control.caption.text} ${control.name} ${control.id}`));
  const submit = controls.slice(passwordAt + 1).find(({ control }) => control.kind === 'button' && control.acts)
    ?? controls.slice(passwordAt + 1).find(({ control }) => control.kind === 'button');
  if (!user || !submit) throw new InputError(`${url} has a password field but no ${user ? 'button to log in' : 'account field before it'}; write the log-in by hand.`);
  const image = captcha ? await captchaImage(page, frame.path) : undefined;
  const imageScope = scopeCode(frame.path, 'page');
  return {
    title: frames[0]?.title ?? '',
    path: new URL(url).pathname,
    user: codeOf(user, frame.path),
    password: codeOf(controls[passwordAt], frame.path),
    submit: codeOf(submit, frame.path),
    ...(captcha && image ? { captcha: { field: codeOf(captcha, frame.path), image: `${imageScope}.locator('${image.replaceAll("'", "\\'")}')` } } : {}),
  };
}
