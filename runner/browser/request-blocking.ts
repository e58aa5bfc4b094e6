/**
 * Requests a bot's pages need not make, refused inside Chromium before they leave it
 * (`Network.setBlockedURLs` on each page, so nothing is intercepted in Node and the HTTP
 * cache stays on, unlike `context.route`). By default: fonts, audio and video anywhere, and
 * anything off the system's origin (a closed network's pages that reach for a CDN or an
 * analytics host wait for it until they time out). Images are kept unless the bot lists the
 * ones it needs (captchas, photo fields); then the others are refused too. A refused request
 * fails as `net::ERR_BLOCKED_BY_CLIENT`, which a failed run's trace shows.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { ConfigError } from '../config.ts';

/** What a bot's pages may not load. Patterns use the URLPattern string syntax and are absolute. */
export interface RequestBlocking {
  /** Refuse fonts (woff, woff2, ttf, otf, eot), audio and video. @defaultValue true */
  fontsAndMedia?: boolean;
  /** Refuse requests to any origin but the system's and `allowOrigins`. @defaultValue true */
  otherOrigins?: boolean;
  /** Origins besides the system's its pages must reach (a single sign-on host, a static-file server), e.g. `http://sso.gov.local`. @defaultValue none */
  allowOrigins?: string[];
  /**
   * `'all'` keeps every image; a list of URL patterns keeps only the images they match (a
   * captcha, a photo the bot reads) and refuses every other image by its extension.
   * @defaultValue 'all'
   */
  keepImages?: 'all' | string[];
}

const FONT_AND_MEDIA = ['woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4', 'wav', 'ogg', 'webm', 'avi', 'flv', 'swf'];
const IMAGES = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'svg', 'ico'];

interface BlockPattern {
  urlPattern: string;
  block: boolean;
}

/** Patterns matching the extensions in either case, as legacy systems write `.GIF` as often as `.gif`. */
const byExtension = (extensions: string[]): string[] =>
  extensions.flatMap((extension) => [`*://*:*/*.${extension}`, `*://*:*/*.${extension.toUpperCase()}`]);

/** The ordered patterns (the first that matches decides) for a system at `baseUrl`. */
export function blockPatterns(blocking: RequestBlocking, baseUrl: string): BlockPattern[] {
  const { fontsAndMedia = true, otherOrigins = true, allowOrigins = [], keepImages = 'all' } = blocking;
  const patterns: BlockPattern[] = [];
  if (keepImages !== 'all') {
    patterns.push(...keepImages.map((urlPattern) => ({ urlPattern, block: false })));
    patterns.push(...byExtension(IMAGES).map((urlPattern) => ({ urlPattern, block: true })));
  }
  if (fontsAndMedia) patterns.push(...byExtension(FONT_AND_MEDIA).map((urlPattern) => ({ urlPattern, block: true })));
  if (otherOrigins) {
    // A system with no origin of its own (about:blank) may reach none.
    const own = originOf(baseUrl);
    for (const origin of [...(own ? [own] : []), ...allowOrigins.map(allowedOrigin)]) patterns.push({ urlPattern: `${origin}/*`, block: false });
    patterns.push({ urlPattern: '*://*:*/*', block: true });
  }
  return patterns;
}

/** The http(s) origin of `url`, or undefined when it has none. */
function originOf(url: string): string | undefined {
  const origin = URL.canParse(url) ? new URL(url).origin : 'null';
  return origin === 'null' ? undefined : origin;
}

function allowedOrigin(entry: string): string {
  const origin = originOf(entry);
  if (!origin) throw new ConfigError(`browser.block.allowOrigins: "${entry}" is not an origin; write it as http://host[:port].`);
  return origin;
}

async function blockOnPage(page: Page, patterns: BlockPattern[]): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.setBlockedURLs', { urlPatterns: patterns });
}

/**
 * Applies `blocking` to `page` and to every page the context opens later (popups, new windows).
 * A popup's first requests may go out before its blocking is in place.
 */
export async function blockRequests(context: BrowserContext, page: Page, blocking: RequestBlocking, baseUrl: string): Promise<void> {
  const patterns = blockPatterns(blocking, baseUrl);
  if (patterns.length === 0) return;
  context.on('page', (opened) => void blockOnPage(opened, patterns).catch(() => {}));
  await blockOnPage(page, patterns);
}
