/**
 * The lanes of one run, acquired lazily: a bot's session is taken from the pool (and
 * its trace chunk started) the first time a step calls one of its page objects, so a
 * run never holds, or logs in, a system its record does not need.
 */
import type { Lane, SessionPool } from '../browser/session-pool.ts';
import type { Bot } from '../define/bot.ts';
import type { EvidenceStore } from './evidence.ts';

type PageObjects = Record<string, Record<string, unknown>>;

/** Lanes a run has taken so far, and the bot handles its steps see. */
export class RunLanes {
  /** Every lane taken so far, in order; grows while steps run. */
  readonly taken: Lane[] = [];
  private readonly byAlias = new Map<string, Promise<{ lane: Lane; pages: PageObjects }>>();
  private readonly ready = new Map<string, Lane>();

  constructor(
    private readonly bots: Record<string, Bot<unknown>>,
    private readonly deps: { pool: SessionPool; evidence: EvidenceStore },
    private readonly runId: string,
  ) {}

  /** The lane of `alias`, taking it from the pool on first use. */
  async lane(alias: string): Promise<Lane> {
    return (await this.open(alias)).lane;
  }

  /** A handle per alias: `pages.<object>.<method>(…)` takes the lane first, then calls through. */
  handles(): Record<string, { pages: PageObjects; page: Lane['page'] }> {
    return Object.fromEntries(Object.keys(this.bots).map((alias) => [alias, this.handle(alias)]));
  }

  private handle(alias: string) {
    const open = () => this.open(alias);
    const ready = this.ready;
    const pages = new Proxy({} as PageObjects, {
      get: (_, object: string) => new Proxy({}, {
        get: (__, method: string) => async (...args: unknown[]) => {
          const target = (await open()).pages[object];
          return (target[method] as (...a: unknown[]) => unknown).apply(target, args);
        },
      }),
    });
    return {
      pages,
      get page(): Lane['page'] {
        const lane = ready.get(alias);
        if (!lane) throw new Error(`the ${alias} page is not open yet: call one of its page objects first`);
        return lane.page;
      },
    };
  }

  private open(alias: string): Promise<{ lane: Lane; pages: PageObjects }> {
    let opened = this.byAlias.get(alias);
    if (!opened) {
      const bot = this.bots[alias];
      opened = this.deps.pool.acquire(bot).then(async (lane) => {
        this.taken.push(lane);
        this.ready.set(alias, lane);
        await this.deps.evidence.begin([lane], this.runId);
        return { lane, pages: bot.pages(lane.page, lane.baseUrl) as PageObjects };
      });
      this.byAlias.set(alias, opened);
    }
    return opened;
  }
}
