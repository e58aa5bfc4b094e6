/**
 * A bot's browser context, built from what the bot declares: its context options over
 * Ferry's defaults, HTTP-auth credentials from the secret store, its timeouts, request
 * blocking and routes, the dialog guard on every page the context opens (popups included), and tracing.
 * The session pool calls this for a new lane and again for each recycled context, so a
 * recycled context carries all of it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { usesHttpAuth, type Bot } from '../define/bot.ts';
import { httpAccountOf, type Credentials } from '../access/secrets.ts';
import { guardDialogs } from './dialogs.ts';
import { blockRequests } from './request-blocking.ts';

/** Ferry's defaults, what every bot gets unless it says otherwise. */
export const BOT_BROWSER_DEFAULTS = {
  context: { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  actionTimeoutMs: 15_000,
  navigationTimeoutMs: 20_000,
  idleMs: 30_000,
} as const;

/** Actions, network and console only: DOM snapshots cost a fifth of a run, and evidence keeps every frame's HTML. */
export const TRACE_OPTIONS = { snapshots: false, screenshots: false, sources: false };

/** What {@link openBotContext} needs besides the bot. */
export interface BotContextSetup {
  /** Cookies and storage of a recycled context, so it stays logged in. */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
  /** The bot's stored credentials; read only when the bot uses HTTP auth. */
  credentials(): Promise<Credentials>;
  /** The system's address: its origin is the one the bot's pages may reach (see `browser.block`). */
  baseUrl: string;
}

/** Opens a context for `bot` with everything it declares, and its one page. */
export async function openBotContext(browser: Browser, bot: Bot<unknown>, setup: BotContextSetup): Promise<{ context: BrowserContext; page: Page }> {
  const options = bot.browser ?? {};
  const httpCredentials = usesHttpAuth(bot) ? httpAccountOf(await setup.credentials()) : undefined;
  const context = await browser.newContext({
    ...BOT_BROWSER_DEFAULTS.context, ...options.context, storageState: setup.storageState, httpCredentials,
  });
  try {
    context.setDefaultTimeout(options.timeouts?.action ?? BOT_BROWSER_DEFAULTS.actionTimeoutMs);
    context.setDefaultNavigationTimeout(options.timeouts?.navigation ?? BOT_BROWSER_DEFAULTS.navigationTimeoutMs);
    context.on('page', guardDialogs);
    await options.routes?.(context);
    await context.tracing.start(TRACE_OPTIONS);
    const page = await context.newPage();
    guardDialogs(page);
    await blockRequests(context, page, options.block ?? {}, setup.baseUrl);
    return { context, page };
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
}

/** How long an idle session of `bot` is kept: the bot's own `idleMs`, else the pool's. */
export function idleMsOf(bot: Bot<unknown>, poolIdleMs: number | undefined): number {
  return bot.browser?.idleMs ?? poolIdleMs ?? BOT_BROWSER_DEFAULTS.idleMs;
}
