/**
 * The files `ferry new bot` writes: a bot that logs in through the form read off the live log-in
 * page, knows when it is logged out, has one page object and its zod schema, and a test that
 * logs in to the system for real.
 */
import type { LoginScreen } from './login-screen.ts';

/** What the bot's files are written from. */
export interface BotScaffold {
  id: string;
  title: string;
  /** The log-in page's URL, as given. */
  loginUrl: string;
  login: LoginScreen;
  /** The repository's root as seen from the bot's folder (`../..` for `bots/<id>/`): imports of Ferry go through it. */
  root: string;
  /** The system asks for HTTP auth before its log-in page. */
  http: boolean;
  /** The system's certificate is signed by no public authority, and that was accepted (`--insecure-tls`). */
  insecureTls: boolean;
}

const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const envName = (id: string) => id.toUpperCase().replaceAll('-', '_');

function indexFile({ id, title, loginUrl, root, http, insecureTls }: BotScaffold): string {
  const browser = insecureTls ? "\n  // Its certificate is signed by no public authority (accepted with --insecure-tls when scaffolded).\n  browser: { context: { ignoreHTTPSErrors: true } }," : '';
  return `/**
 * Bot for ${title} (${new URL(loginUrl).origin}), scaffolded by \`ferry new bot\`.
 * Ask the system's owners how many log-ins one account may hold at once, and set maxSessions.
 */
import { defineBot } from '${root}/runner/index.ts';
import { HomePage } from './home-page.ts';
import { logIn, onLogInPage } from './login.ts';

export default defineBot({
  id: ${literal(id)},
  title: ${literal(title)},
  maxSessions: 1,${browser}
  login: { ${http ? 'http: true, ' : ''}form: logIn },
  // Logged out: back on the log-in page. Add what else this system shows (a 会话已超时 notice, say).
  isLoggedOut: (page) => onLogInPage(page),
  pages: (page, baseUrl) => ({ home: new HomePage(page, baseUrl) }),
});
`;
}

function loginFile({ title, login, root }: BotScaffold): string {
  const usesCaption = [login.user, login.password, login.submit, login.captcha?.field ?? ''].some((code) => code.startsWith('fieldByCaption('));
  const captcha = login.captcha
    ? `    // The captcha is read by OCR; give readCaptcha the system's alphabet and length once you know them.
    const captcha = await readCaptcha(ocr, await ${login.captcha.image}.screenshot(), { alphabet: CAPTCHA_ALPHABET, length: 4 });
    await ${login.captcha.field}.fill(captcha);
`
    : '';
  return `/**
 * Log-in to ${title} through its form, as \`ferry new bot\` read it off the log-in page.
 */
import type { Page } from 'playwright-core';
import { readCaptcha, type LoginContext } from '${root}/runner/index.ts';

const LOG_IN_PATH = ${literal(login.path)};${login.captcha ? "\n/** The characters its captchas may use: narrow it to the system's own (many leave out 0/O and 1/I). */\nconst CAPTCHA_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';" : ''}
/** Tries before giving up${login.captcha ? ': a misread captcha is tried again with a fresh one' : ''}. */
const TRIES = ${login.captcha ? 5 : 1};

/** True on the log-in page. */
export function onLogInPage(page: Page): boolean {
  return new URL(page.url()).pathname === LOG_IN_PATH;
}

export async function logIn({ page, credentials, baseUrl${login.captcha ? ', ocr' : ''} }: LoginContext): Promise<void> {
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    await page.goto(\`\${baseUrl}\${LOG_IN_PATH}\`);
    await ${login.user}.fill(credentials.username);
    await ${login.password}.fill(credentials.password);
${captcha}    await ${login.submit}.click();
    await page.waitForLoadState('domcontentloaded');
    if (!onLogInPage(page)) return;
  }
  throw new Error(${literal(`${title} refused the log-in`)} + (TRIES > 1 ? \` \${TRIES} times\` : '') + '; check the account with \`ferry secrets set\`');
}
`.replace('import { readCaptcha, type LoginContext }', `import { ${[...(usesCaption ? ['fieldByCaption'] : []), ...(login.captcha ? ['readCaptcha'] : [])].join(', ')}${usesCaption || login.captcha ? ', ' : ''}type LoginContext }`);
}

function homePageFile({ title, root }: BotScaffold): string {
  return `/**
 * The page ${title} shows after log-in. Replace it with the screens the recipes need:
 * \`ferry inspect <path> --bot <id> --out <file>\` prints a page object for a screen.
 */
import type { Page } from 'playwright-core';
import { parseRecord } from '${root}/runner/index.ts';
import { Landing } from './schemas.ts';

export class HomePage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** What the landing page shows, checked with its schema. */
  async landing(): Promise<Landing> {
    if (!this.page.url().startsWith(this.baseUrl)) await this.page.goto(this.baseUrl);
    return parseRecord(Landing, { title: await this.page.title() });
  }
}
`;
}

function schemasFile({ title }: BotScaffold): string {
  return `/** ${title}'s screens as typed data. */
import { z } from 'zod';

/** The landing page after log-in. */
export const Landing = z.object({ title: z.string().min(1) });
export type Landing = z.infer<typeof Landing>;
`;
}

function testFile({ id, title, root, http }: BotScaffold): string {
  const env = envName(id);
  const httpAccount = http
    ? `\n  http: { username: process.env.FERRY_TEST_${env}_HTTP_USER ?? '', password: process.env.FERRY_TEST_${env}_HTTP_PASSWORD ?? '' },`
    : '';
  return `/**
 * ${title}: the bot logs in for real, in a browser context set up as a worker's, and then is not
 * logged out. Give it the system and an account: FERRY_URL_${env}, FERRY_TEST_${env}_USER and
 * FERRY_TEST_${env}_PASSWORD${http ? `, and the HTTP-auth account: FERRY_TEST_${env}_HTTP_USER and FERRY_TEST_${env}_HTTP_PASSWORD` : ''}.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBotContext } from '${root}/runner/browser/bot-context.ts';
import { loginForm } from '${root}/runner/define/bot.ts';
import { createLogger } from '${root}/runner/logger.ts';
import { useBrowser } from '${root}/test/support/browser.ts';
import { useOcr } from '${root}/test/support/ocr.ts';
import bot from './index.ts';

const baseUrl = process.env.FERRY_URL_${env} ?? '';
const credentials = {
  username: process.env.FERRY_TEST_${env}_USER ?? '',
  password: process.env.FERRY_TEST_${env}_PASSWORD ?? '',${httpAccount}
};

describe.runIf(Boolean(baseUrl && credentials.username))(${literal(`the ${id} bot`)}, () => {
  const browser = useBrowser();
  const ocr = useOcr({ langs: ['eng'] });
  let session: { context: BrowserContext; page: Page } | undefined;
  beforeAll(async () => {
    session = await openBotContext(browser(), bot, { credentials: async () => credentials, baseUrl });
  });
  afterAll(async () => {
    await session?.context.close();
  });

  it('logs in, is not logged out after, and reads the landing page', async () => {
    const { page } = session!;
    await loginForm(bot)!({ page, credentials, baseUrl, ocr, log: createLogger({ level: 'silent' }) });
    expect(await bot.isLoggedOut(page)).toBe(false);
    expect((await bot.pages(page, baseUrl).home.landing()).title).not.toBe('');
  });
});
`;
}

/** The bot's files, by path under its folder. */
export function botFiles(scaffold: BotScaffold): Record<string, string> {
  return {
    'index.ts': indexFile(scaffold),
    'login.ts': loginFile(scaffold),
    'home-page.ts': homePageFile(scaffold),
    'schemas.ts': schemasFile(scaffold),
    [`${scaffold.id}.test.ts`]: testFile(scaffold),
  };
}
