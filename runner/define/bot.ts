/**
 * `defineBot`: Ferry's driver for one legacy system. It knows how to log in, how to
 * notice that the system logged it out, what its browser needs (locale, time zone,
 * headers, TLS, blocked requests, routes, timeouts), and which page objects its screens have.
 */
import { OpeningHours } from '../guard/opening-hours.ts';
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { Logger } from '../logger.ts';
import type { Credentials } from '../access/secrets.ts';
import type { Ocr } from '../ocr/types.ts';
import type { RequestBlocking } from '../browser/request-blocking.ts';

/** What a bot's log-in form step receives. */
export interface LoginContext {
  page: Page;
  /** The stored account of the form (`ferry secrets set <bot> --user`). */
  credentials: Credentials;
  baseUrl: string;
  ocr: Ocr;
  log: Logger;
}

/**
 * How a system lets a bot in: `'none'` (an open intranet page), or a log-in form, HTTP
 * auth (Basic/Digest/NTLM, answered by Chromium from the stored credentials), or both.
 */
export type LoginModel = 'none' | {
  /** Logs in on `page` through the system's form; throws with the system's message on failure (retried as a LoginFailedError). */
  form?: (context: LoginContext) => Promise<void>;
  /**
   * The system asks for HTTP auth: the context gets `httpCredentials` from the secret store,
   * the stored `http` account when there is one, else the main account.
   * @defaultValue false
   */
  http?: boolean;
};

/** The Playwright context options a bot may set; the runner owns the rest (storage state, tracing, credentials). */
export type BotContextOptions = Pick<BrowserContextOptions,
  | 'locale' | 'timezoneId' | 'userAgent' | 'extraHTTPHeaders' | 'ignoreHTTPSErrors' | 'viewport' | 'javaScriptEnabled'
  | 'bypassCSP' | 'acceptDownloads' | 'colorScheme' | 'deviceScaleFactor' | 'geolocation' | 'permissions' | 'offline' | 'serviceWorkers'>;

/** A bot's browser needs. Every part is applied to each context the bot gets, again when a context is recycled. */
export interface BotBrowserOptions {
  /**
   * Context options.
   * @defaultValue `{ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }` (a bot's own values are merged over these)
   */
  context?: BotContextOptions;
  timeouts?: {
    /** Milliseconds an action (click, fill, locator wait) may take. @defaultValue 15000 */
    action?: number;
    /** Milliseconds a navigation may take. @defaultValue 20000 */
    navigation?: number;
  };
  /**
   * Requests the bot's pages may not make, refused inside Chromium: fonts and media, other
   * origins, and images but the listed ones. See {@link RequestBlocking}.
   * @defaultValue `{ fontsAndMedia: true, otherOrigins: true, allowOrigins: [], keepImages: 'all' }`
   */
  block?: RequestBlocking;
  /** Per-context request routing (`context.route(…)`), e.g. fixing a broken script. It turns Chromium's HTTP cache off. @defaultValue none */
  routes?: (context: BrowserContext) => Promise<unknown>;
  /** Milliseconds an idle logged-in session of this bot is kept before it is closed and its slot freed. @defaultValue 30000 */
  idleMs?: number;
}

/**
 * A read-only check that a screen still shows what the bot's page objects locate, run by
 * `ferry canary`, hourly and before each nightly sync. It never saves or submits anything.
 */
export interface BotCanary {
  /** The screen, as ops name it: `灵活就业人员参保登记`. */
  screen: string;
  /** Opens the screen on a logged-in page, changing nothing. */
  open(page: Page, baseUrl: string): Promise<unknown>;
  /** What must each resolve to exactly one element there, by a name ops read: usually a page object's locators. */
  locators(page: Page): Record<string, Locator>;
}

/** A bot definition. `P` is the shape of its page objects. */
export interface Bot<P = unknown> {
  /** Kebab-case id; also the `FERRY_URL_<ID>` variable and the credentials name. */
  id: string;
  title: string;
  /** Logins the system allows per account at once: a cap across all workers. */
  maxSessions: number;
  /** How the system lets the bot in. */
  login: LoginModel;
  /**
   * True when the page shows the system has logged the bot out: a login URL, a 200 page
   * saying 会话已超时, a login box inside a frame. Called after a step fails; may read the page.
   */
  isLoggedOut(page: Page): boolean | Promise<boolean>;
  /** Builds the page objects for one run on `page`. */
  pages(page: Page, baseUrl: string): P;
  /** Browser needs. @defaultValue today's Ferry defaults: zh-CN, Asia/Shanghai, 15 s actions, 20 s navigations, 30 s idle */
  browser?: BotBrowserOptions;
  /** Read-only checks that its screens still match its page objects, so a renamed field is seen before a nightly sync fails on it. */
  canaries?: BotCanary[];
  /** When the system takes work (`{ days: 'workdays', open: '08:00', close: '22:00' }`); runs for it wait in the queue outside these hours. @defaultValue always open */
  hours?: OpeningHours;
  /** Runs that may start against the system in any minute, across all workers, so a nightly batch does not overload an old server. @defaultValue no cap */
  maxRunsPerMinute?: number;
}

/** Declares a bot; the identity function that gives type inference. */
export function defineBot<P>(bot: Bot<P>): Bot<P> {
  if (!/^[a-z][a-z0-9-]*$/.test(bot.id)) throw new Error(`bot id "${bot.id}" must be kebab-case`);
  if (bot.login !== 'none' && (typeof bot.login !== 'object' || (!bot.login.form && !bot.login.http))) {
    throw new Error(`bot ${bot.id}: login must be 'none' or { form, http } with at least one of them`);
  }
  if (bot.maxRunsPerMinute !== undefined && !(Number.isInteger(bot.maxRunsPerMinute) && bot.maxRunsPerMinute >= 1)) {
    throw new Error(`bot ${bot.id}: maxRunsPerMinute must be a whole number of at least 1, not ${bot.maxRunsPerMinute}`);
  }
  const hours = bot.hours && OpeningHours.safeParse(bot.hours);
  if (hours && !hours.success) throw new Error(`bot ${bot.id}: hours: ${hours.error.issues.map((issue) => `${issue.path.join('.') || 'hours'} ${issue.message}`).join('; ')}`);
  return bot;
}

/** The log-in form step of a bot, if it has one. */
export function loginForm(bot: Bot<unknown>): ((context: LoginContext) => Promise<void>) | undefined {
  return bot.login === 'none' ? undefined : bot.login.form;
}

/** True when the bot's system asks for HTTP auth. */
export function usesHttpAuth(bot: Bot<unknown>): boolean {
  return bot.login !== 'none' && bot.login.http === true;
}
