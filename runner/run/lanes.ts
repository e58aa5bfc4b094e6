/**
 * The lanes of one run (or one sync's list step), acquired lazily and per bot: a bot's
 * session is taken from the pool (and its trace chunk started) the first time a step
 * calls one of its page objects, so a run never holds, or logs in, a system its record
 * does not need. Two aliases of the same bot share one lane, so a recipe that reads and
 * writes the same system needs one session of it, not two.
 *
 * A SessionExpiredError thrown from a bot's page object leaves here naming that bot, so the
 * runner logs in again to the system that logged out, not to whichever the step was for.
 */
import type { Lane, SessionPool } from '../browser/session-pool.ts';
import type { Bot } from '../define/bot.ts';
import type { SessionExpiredError } from '../errors.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';

type PageObjects = Record<string, Record<string, unknown>>;

/** Names `bot` on a SessionExpiredError that does not name its bot yet. */
function attributeTo(error: unknown, bot: Bot<unknown>): unknown {
  if ((error as Error)?.name === 'SessionExpiredError' && !(error as SessionExpiredError).bot) (error as SessionExpiredError).bot = bot.id;
  return error;
}

/** Lanes a run has taken so far, and the bot handles its steps see. */
export class RunLanes {
  /** Every lane taken so far, one per bot, in order; grows while steps run. */
  readonly taken: Lane[] = [];
  private readonly byBot = new Map<string, Promise<{ lane: Lane; pages: PageObjects }>>();
  private readonly ready = new Map<string, Lane>();

  constructor(
    private readonly bots: Record<string, Bot<unknown>>,
    private readonly deps: { pool: SessionPool; evidence: EvidenceStore },
    private readonly runId: string,
  ) {}

  /** The lane of `alias`'s bot, taking it from the pool on first use. */
  async lane(alias: string): Promise<Lane> {
    return (await this.open(this.bots[alias])).lane;
  }

  /** A handle per alias: `pages.<object>.<method>(…)` takes the bot's lane first, then calls through. */
  handles(): Record<string, { pages: PageObjects; page: Lane['page'] }> {
    return Object.fromEntries(Object.entries(this.bots).map(([alias, bot]) => [alias, this.handle(alias, bot)]));
  }

  private handle(alias: string, bot: Bot<unknown>) {
    const open = () => this.open(bot);
    const ready = this.ready;
    const pages = new Proxy({} as PageObjects, {
      get: (_, object: string) => new Proxy({}, {
        get: (__, method: string) => async (...args: unknown[]) => {
          const target = (await open()).pages[object];
          try {
            return await (target[method] as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            throw attributeTo(error, bot);
          }
        },
      }),
    });
    return {
      pages,
      get page(): Lane['page'] {
        const lane = ready.get(bot.id);
        if (!lane) throw new Error(`the ${alias} page is not open yet: call one of its page objects first`);
        return lane.page;
      },
    };
  }

  private open(bot: Bot<unknown>): Promise<{ lane: Lane; pages: PageObjects }> {
    let opened = this.byBot.get(bot.id);
    if (!opened) {
      opened = this.deps.pool.acquire(bot).then(async (lane) => {
        this.taken.push(lane);
        this.ready.set(bot.id, lane);
        await this.deps.evidence.begin([lane], this.runId);
        return { lane, pages: bot.pages(lane.page, lane.baseUrl) as PageObjects };
      });
      this.byBot.set(bot.id, opened);
    }
    return opened;
  }
}
