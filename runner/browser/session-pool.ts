/**
 * Folder `runner/browser/`: Chromium and what lives in it: the per-worker session pool, the
 * cross-worker session cap, and dialog handling.
 *
 * Logged-in browser sessions, per bot, inside one worker's Chromium. Each lane is a
 * context set up as its bot declares (see `bot-context.ts`) with one page, logged in once
 * and reused run after run; it is recycled (from its saved storageState, so without a new
 * login, and with all of the bot's setup applied again) after N runs, and closed when idle
 * (after the bot's `idleMs`). Lanes count against the bot's `maxSessions` across all workers.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { pausedError, type BotCircuits, type Circuit } from '../guard/bot-circuits.ts';
import { loginForm, type Bot } from '../define/bot.ts';
import type { Logger } from '../logger.ts';
import type { Ocr } from '../ocr/types.ts';
import type { Credentials } from '../access/secrets.ts';
import type { SessionSlots } from './session-slots.ts';
import { idleMsOf, openBotContext, TRACE_OPTIONS } from './bot-context.ts';
import { classifyFailure, SessionsBusyError } from '../errors.ts';

/** One logged-in session of a bot. */
export interface Lane {
  holder: string;
  bot: Bot<unknown>;
  baseUrl: string;
  context: BrowserContext;
  page: Page;
  runs: number;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** Options of {@link SessionPool}. */
export interface SessionPoolOptions {
  browser: Browser;
  slots: SessionSlots;
  /** Each bot's circuit breaker: whether it may log in, and what its logins taught. */
  circuits: BotCircuits;
  credentials(bot: string): Promise<Credentials>;
  baseUrl(bot: string): string;
  ocr: Ocr;
  log: Logger;
  /** Unique per worker process; slot holders are `<workerId>:<bot>:<n>`. */
  workerId: string;
  /** Runs after which a lane's context is recycled. */
  contextMaxRuns: number;
  /** An idle lane is closed (and its slot freed) after this long, unless its bot sets `browser.idleMs`. @defaultValue 30000 */
  idleMs?: number;
  /** How long `acquire` waits for a free session before the run goes back to the queue (without spending an attempt). @defaultValue 60000 */
  acquireTimeoutMs?: number;
  /** Session caps per bot id that replace the bots' own `maxSessions` (e.g. a benchmark's raised cap). */
  maxSessions?: Record<string, number>;
}

/** A run that found every session busy is taken up again after this long. */
const BUSY_RECHECK_MS = 2_000;
/** Network failures that mean the system is not answering at all. */
const UNREACHABLE = /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_TIMED_OUT|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|EMPTY_RESPONSE)|ECONNREFUSED/;
/** A bot could not log in (wrong password, locked account, system down). Retried with backoff. */
export class LoginFailedError extends Error {
  constructor(bot: string, cause: unknown) {
    super(`login to ${bot} failed: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'LoginFailedError';
  }
}

export class SessionPool {
  private readonly lanes = new Map<string, Lane[]>();
  private readonly waiters = new Set<() => void>();
  private readonly heartbeat: NodeJS.Timeout;
  private laneCounter = 0;
  private closed = false;

  constructor(private readonly options: SessionPoolOptions) {
    this.heartbeat = setInterval(() => void this.renewSlots(), options.slots.leaseMs / 3);
    this.heartbeat.unref();
  }

  /** A logged-in lane for `bot`, waiting for a free session when the cap is reached. */
  async acquire(bot: Bot<unknown>): Promise<Lane> {
    const deadline = Date.now() + (this.options.acquireTimeoutMs ?? 60_000);
    for (;;) {
      if (this.closed) throw new Error('the session pool is closed');
      const idle = this.lanesOf(bot.id).find((lane) => !lane.busy);
      if (idle) return this.checkOut(idle);
      const holder = `${this.options.workerId}:${bot.id}:${++this.laneCounter}`;
      if (await this.options.slots.take(bot.id, holder, this.capOf(bot))) return this.openLane(bot, holder);
      if (Date.now() > deadline) throw new SessionsBusyError(bot.id, this.options.acquireTimeoutMs ?? 60_000, Date.now() + BUSY_RECHECK_MS);
      await new Promise<void>((resolve) => {
        const wake = () => { this.waiters.delete(wake); clearTimeout(timer); resolve(); };
        const timer = setTimeout(wake, 250);
        this.waiters.add(wake);
      });
    }
  }

  /** Returns a lane after a run. */
  release(lane: Lane): void {
    if (lane.page.isClosed()) {
      void this.closeLane(lane);
      return;
    }
    // Popups and windows a run opened go with it; the lane keeps its one page.
    for (const page of lane.context.pages()) if (page !== lane.page) void page.close().catch(() => {});
    lane.busy = false;
    lane.runs += 1;
    lane.idleTimer = setTimeout(() => void this.closeLane(lane), idleMsOf(lane.bot, this.options.idleMs));
    lane.idleTimer.unref();
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Logs the lane in again after the system logged it out, on the same page (page objects
   * built on it stay valid). A bot without a log-in form has its cookies dropped instead, so
   * the system starts a fresh session (HTTP auth is answered again by Chromium).
   */
  async relogin(lane: Lane): Promise<void> {
    this.options.log.info({ bot: lane.bot.id, lane: lane.holder }, 'session expired; logging in again');
    if (loginForm(lane.bot)) await this.login(lane);
    else await lane.context.clearCookies();
  }

  /**
   * Drops every lane's cookies, as a system that logged everyone out: each lane's next step
   * meets the log-in screen and logs in again. The chaos proof's session purge on systems it
   * cannot log out itself.
   */
  async forgetSessions(): Promise<void> {
    await Promise.all([...this.lanes.values()].flat().map((lane) => lane.context.clearCookies().catch(() => {})));
  }

  /** Open lanes and pages, for soak checks. */
  stats(): { lanes: number; pages: number } {
    const all = [...this.lanes.values()].flat();
    return { lanes: all.length, pages: all.reduce((sum, lane) => sum + lane.context.pages().length, 0) };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    await Promise.all([...this.lanes.values()].flat().map((lane) => this.closeLane(lane)));
  }

  private capOf(bot: Bot<unknown>): number {
    return this.options.maxSessions?.[bot.id] ?? bot.maxSessions;
  }

  private lanesOf(bot: string): Lane[] {
    let list = this.lanes.get(bot);
    if (!list) this.lanes.set(bot, (list = []));
    return list;
  }

  private async checkOut(lane: Lane): Promise<Lane> {
    lane.busy = true;
    clearTimeout(lane.idleTimer);
    if (lane.runs >= this.options.contextMaxRuns) {
      await this.recycle(lane).catch(async (error: unknown) => {
        await this.closeLane(lane);
        throw error;
      });
    }
    return lane;
  }

  private newContext(bot: Bot<unknown>, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<{ context: BrowserContext; page: Page }> {
    return openBotContext(this.options.browser, bot, { storageState, credentials: () => this.options.credentials(bot.id), baseUrl: this.options.baseUrl(bot.id) });
  }

  private async openLane(bot: Bot<unknown>, holder: string): Promise<Lane> {
    try {
      const { context, page } = await this.newContext(bot);
      const lane: Lane = { holder, bot, baseUrl: this.options.baseUrl(bot.id), context, page, runs: 0, busy: true };
      this.lanesOf(bot.id).push(lane);
      try {
        await this.login(lane);
      } catch (error) {
        await this.closeLane(lane);
        throw error;
      }
      return lane;
    } catch (error) {
      await this.options.slots.release(bot.id, holder);
      throw error;
    }
  }

  /**
   * Logs a lane in through its bot's form, if it has one, when the bot's circuit lets it (else a
   * BotPausedError); what the login taught goes to the circuit. Any other failure is a
   * LoginFailedError, which the runner retries (it is not the record's fault).
   */
  private async login(lane: Lane): Promise<void> {
    const form = loginForm(lane.bot);
    if (!form) return;
    const { circuits } = this.options;
    const bot = lane.bot.id;
    if (!(await circuits.mayLogIn(bot))) throw pausedError(bot, await circuits.get(bot));
    // A 5xx on a page the log-in opened says the system is down, not that the account is wrong.
    let serverError = 0;
    const onResponse = (response: Response) => {
      if (response.request().isNavigationRequest() && response.status() >= 500) serverError = response.status();
    };
    lane.page.on('response', onResponse);
    // The password is typed with tracing stopped, so no trace (kept as evidence) ever holds it;
    // a run that logs in again mid-way loses the trace of its steps before the login.
    await lane.context.tracing.stop();
    try {
      await form({
        page: lane.page,
        credentials: await this.options.credentials(bot),
        baseUrl: lane.baseUrl,
        ocr: this.options.ocr,
        log: this.options.log.child({ bot }),
      });
      await circuits.succeeded(bot);
    } catch (error) {
      const message = String((error as Error)?.message ?? error).split('\n')[0];
      let circuit: Circuit | undefined;
      if ((error as Error)?.name === 'LoginRefusedError') circuit = await circuits.refused(bot, message);
      else if (serverError || UNREACHABLE.test(message)) circuit = await circuits.unreachable(bot, serverError ? `its log-in page answered ${serverError}` : message);
      // Paused or open now: the run waits for the bot like the others, spending no more attempts.
      if (circuit && circuit.state !== 'closed') throw pausedError(bot, circuit);
      // A missing or unreadable login is a setting to fix, not a system to try again.
      throw classifyFailure(error) === 'configuration' ? error : new LoginFailedError(bot, error);
    } finally {
      lane.page.off('response', onResponse);
      await lane.context.tracing.start(TRACE_OPTIONS);
    }
  }

  /** Replaces a long-lived context with a fresh one carrying the same session cookies and all of the bot's setup. */
  private async recycle(lane: Lane): Promise<void> {
    const state = await lane.context.storageState();
    await lane.context.close();
    Object.assign(lane, await this.newContext(lane.bot, state), { runs: 0 });
  }

  private async closeLane(lane: Lane): Promise<void> {
    clearTimeout(lane.idleTimer);
    const list = this.lanesOf(lane.bot.id);
    if (!list.includes(lane)) return;
    list.splice(list.indexOf(lane), 1);
    await lane.context.close().catch(() => {});
    await this.options.slots.release(lane.bot.id, lane.holder).catch(() => {});
    for (const wake of [...this.waiters]) wake();
  }

  private async renewSlots(): Promise<void> {
    for (const lane of [...this.lanes.values()].flat()) {
      await this.options.slots.take(lane.bot.id, lane.holder, this.capOf(lane.bot)).catch(() => {});
    }
  }
}
