/**
 * `defineBot`: Ferry's driver for one legacy system. It knows how to log in, how to
 * notice that the system logged it out, and which page objects its screens have.
 */
import type { Page } from 'playwright-core';
import type { Logger } from '../logger.ts';
import type { Credentials } from '../access/secrets.ts';
import type { Ocr } from '../ocr/types.ts';

/** What a bot's `login` receives. */
export interface LoginContext {
  page: Page;
  credentials: Credentials;
  baseUrl: string;
  ocr: Ocr;
  log: Logger;
}

/** A bot definition. `P` is the shape of its page objects. */
export interface Bot<P = unknown> {
  /** Kebab-case id; also the `FERRY_URL_<ID>` variable and the credentials name. */
  id: string;
  title: string;
  /** Logins the system allows per account at once: a cap across all workers. @defaultValue 1 */
  maxSessions: number;
  /** Logs in on `page`; throws with the system's message on failure (the runner retries it as a LoginFailedError). */
  login(context: LoginContext): Promise<void>;
  /** True when the page shows the system has logged the bot out. */
  isLoggedOut(page: Page): boolean;
  /** Builds the page objects for one run on `page`. */
  pages(page: Page, baseUrl: string): P;
}

/** Declares a bot; the identity function that gives type inference. */
export function defineBot<P>(bot: Bot<P>): Bot<P> {
  if (!/^[a-z][a-z0-9-]*$/.test(bot.id)) throw new Error(`bot id "${bot.id}" must be kebab-case`);
  return bot;
}
