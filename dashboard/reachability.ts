/**
 * Whether each bot's system answers: a quick HTTP GET to its base URL (any HTTP answer
 * counts as reachable; a refused connection or a timeout does not), cached for a minute.
 */

/** A system's reachability: true, false, or null when no base URL is configured. */
export type Reach = boolean | null;

/** Options of {@link Reachability}. */
export interface ReachabilityOptions {
  /** @defaultValue 2000 */
  timeoutMs?: number;
  /** @defaultValue 60000 */
  cacheMs?: number;
}

export class Reachability {
  private readonly cache = new Map<string, { at: number; up: Promise<boolean> }>();
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  /** `botUrls` maps bot ids to base URLs (config `botUrls`). */
  constructor(private readonly botUrls: Record<string, string>, options: ReachabilityOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  async of(bot: string): Promise<Reach> {
    const url = this.botUrls[bot];
    if (!url) return null;
    const cached = this.cache.get(bot);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.up;
    const up = fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' })
      .then(async (response) => {
        await response.body?.cancel();
        return true;
      }, () => false);
    this.cache.set(bot, { at: Date.now(), up });
    return up;
  }

  /** Every configured bot's reachability. */
  async all(): Promise<Record<string, boolean>> {
    const bots = Object.keys(this.botUrls);
    const results = await Promise.all(bots.map((bot) => this.of(bot)));
    return Object.fromEntries(bots.map((bot, i) => [bot, results[i] === true]));
  }
}
