/**
 * A bot's pages do not fetch what it does not need: by default fonts, media and anything off
 * the system's origin are refused inside Chromium, images are kept; a bot that lists the
 * images it needs keeps only those. What the servers received is what is checked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBotContext } from '../runner/browser/bot-context.ts';
import { blockPatterns } from '../runner/browser/request-blocking.ts';
import { defineBot, type RequestBlocking } from '../runner/index.ts';
import { useBrowser } from './support/browser.ts';

const browser = useBrowser();

/** A server that answers every path with a small body and remembers the paths it was asked for. */
function recordingServer(page: (otherOrigin: string) => string) {
  const asked: string[] = [];
  let otherOrigin = '';
  const server: Server = createServer((request, response) => {
    asked.push(request.url ?? '');
    if (request.url === '/screen') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(otherOrigin));
    } else {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('');
    }
  });
  return {
    asked,
    server,
    setOtherOrigin: (origin: string) => { otherOrigin = origin; },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

const SCREEN = (other: string) => `<!DOCTYPE html><html><head><meta charset="utf-8">
<style>@font-face { font-family: legacy; src: url(/fonts/song.woff2) format('woff2'); } body { font-family: legacy; }</style>
<script src="${other}/track.js"></script><script src="/app.js"></script></head>
<body>人员信息<img src="/img/logo.png"><img src="/img/BANNER.GIF"><img src="/captcha.jsp?t=1"><img src="/photo/7.jpg">
<video src="/intro.mp4" autoplay muted></video><img src="${other}/ad.png"></body></html>`;

const system = recordingServer(SCREEN);
const other = recordingServer(() => '');

beforeAll(async () => {
  await Promise.all([system.server, other.server].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  system.setOtherOrigin(other.url());
});
afterAll(async () => {
  await Promise.all([system.server, other.server].map((server) => new Promise((resolve) => server.close(resolve))));
});
beforeEach(() => {
  system.asked.length = 0;
  other.asked.length = 0;
});

/** A context set up as a lane's, for a bot that declares `block`, on a system at `baseUrl`. */
function openLaneContext(baseUrl: string, block?: RequestBlocking) {
  const bot = defineBot({ id: 'probe', title: 'probe', login: 'none', maxSessions: 1, isLoggedOut: () => false, pages: () => ({}), ...(block ? { browser: { block } } : {}) });
  return openBotContext(browser(), bot, { credentials: async () => ({ username: '', password: '' }), baseUrl });
}

/** Opens the screen in a lane's context and waits until the page has loaded. */
async function openScreen(block?: RequestBlocking): Promise<void> {
  const { context, page } = await openLaneContext(system.url(), block);
  try {
    await page.goto(`${system.url()}/screen`, { waitUntil: 'load' });
    expect(await page.textContent('body')).toContain('人员信息');
  } finally {
    await context.close();
  }
}

describe('request blocking', () => {
  it('by default refuses fonts, media and other origins, and keeps the system\'s scripts and images', async () => {
    await openScreen();
    expect(system.asked).toEqual(expect.arrayContaining(['/screen', '/app.js', '/img/logo.png', '/img/BANNER.GIF', '/captcha.jsp?t=1', '/photo/7.jpg']));
    expect(system.asked).not.toContain('/fonts/song.woff2');
    expect(system.asked).not.toContain('/intro.mp4');
    expect(other.asked).toEqual([]);
  });

  it('keeps only the images a bot lists, and reaches an origin it allows', async () => {
    await openScreen({ keepImages: ['*://*:*/photo/*'], allowOrigins: [other.url()] });
    expect(system.asked).toEqual(expect.arrayContaining(['/screen', '/app.js', '/captcha.jsp?t=1', '/photo/7.jpg']));
    expect(system.asked).not.toContain('/img/logo.png');
    expect(system.asked).not.toContain('/img/BANNER.GIF');
    // The other origin's script is allowed; its image is an image the bot did not list.
    expect(other.asked).toEqual(['/track.js']);
  });

  it('refuses nothing when a bot turns every part off', async () => {
    await openScreen({ fontsAndMedia: false, otherOrigins: false });
    expect(system.asked).toEqual(expect.arrayContaining(['/fonts/song.woff2', '/img/logo.png']));
    expect(other.asked).toEqual(expect.arrayContaining(['/track.js', '/ad.png']));
  });

  it('opens a context for a system with no origin of its own (about:blank), which may reach none', async () => {
    const { context, page } = await openLaneContext('about:blank');
    try {
      await page.goto('about:blank');
      const fetched = await page.evaluate((url) => fetch(url).then(() => 'fetched', () => 'refused'), `${system.url()}/screen`);
      expect(fetched).toBe('refused');
      expect(system.asked).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('names an allowed origin that is not one, as a setting to fix', () => {
    expect(() => blockPatterns({ allowOrigins: ['sso.gov.local'] }, system.url())).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('"sso.gov.local" is not an origin') }));
  });
});
