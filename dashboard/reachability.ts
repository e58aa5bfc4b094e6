/**
 * Whether each bot's system answers: a quick HTTP GET to its base URL (any HTTP answer
 * counts as reachable, and so does a TLS handshake with a certificate Node does not trust, as
 * many department systems have; a refused connection or a 2-second timeout does not), cached
 * for a minute.
 */

/** Errors of a server that answered TLS with a certificate no public authority signed (or signed for another name). */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A system's reachability: true, false, or null when no base URL is configured. */
export type Reach = boolean | null;

const TIMEOUT_MS = 2000;
const CACHE_MS = 60_000;

export class Reachability {
  private readonly cache = new Map<string, { at: number; up: Promise<boolean> }>();

  /** `botUrls` maps bot ids to base URLs (config `botUrls`). */
  constructor(private readonly botUrls: Record<string, string>) {}

  async of(bot: string): Promise<Reach> {
    const url = this.botUrls[bot];
    if (!url) return null;
    const cached = this.cache.get(bot);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.up;
    const up = fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' })
      .then(async (response) => {
        await response.body?.cancel();
        return true;
      }, (error: { cause?: { code?: string } }) => UNTRUSTED_CERTIFICATE.has(error.cause?.code ?? ''));
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
