/**
 * Read-only screens without the browser's rendering: a page object that opts in fetches its
 * screen with the session's cookies (`context.request`) and parses it with jsdom, the HTML
 * parser a browser's tree construction is specified by (so `<tbody>` appears where Chromium
 * puts it), the encoding sniffed as a browser does (the `Content-Type` charset, else the
 * `<meta>` one: GBK, GB2312 …). No script runs and no image or stylesheet loads, so a screen
 * that needs scripts, shows images or writes stays in the browser. The same extract
 * function reads either path's document: {@link extractInFrame} runs it in a frame.
 * Each read is kept for the run's evidence: a failed run stores the bytes it parsed.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { JSDOM } from 'jsdom';
import { documentScript } from './page-script.ts';

/** Where a page object reads its screens: in the browser, or over HTTP with the session's cookies. */
export type ReadsOver = 'browser' | 'http';

/** A screen read over HTTP. */
export interface HttpScreen {
  /** The HTTP status of the last response, redirects followed. */
  status: number;
  /** The URL the screen came from, after redirects (a login page when the session lapsed). */
  url: string;
  /** The parsed document: query it as in the page; `textContent`, not `innerText` (nothing is laid out). */
  document: Document;
}

/** One HTTP read kept for evidence: the URL and the bytes as the system sent them. */
export interface HttpRead {
  url: string;
  body: Buffer;
}

/** The last reads of each context, for a failed run's evidence; a few are enough to see the screen that failed. */
const KEPT_READS = 5;
const readsByContext = new WeakMap<BrowserContext, HttpRead[]>();

/** Fetches `url` with the page's session and parses it; throws only when the request itself fails. */
export async function readOverHttp(page: Page, url: string): Promise<HttpScreen> {
  const response = await page.context().request.get(url);
  const body = await response.body();
  const reads = readsByContext.get(page.context()) ?? [];
  reads.push({ url: response.url(), body });
  readsByContext.set(page.context(), reads.slice(-KEPT_READS));
  const contentType = response.headers()['content-type'] ?? 'text/html';
  const dom = new JSDOM(body, { url: response.url(), contentType: contentType.includes('html') ? contentType : 'text/html' });
  return { status: response.status(), url: response.url(), document: dom.window.document };
}

/** The context's HTTP reads since the last call, oldest first; they are forgotten. */
export function takeHttpReads(context: BrowserContext): HttpRead[] {
  const reads = readsByContext.get(context) ?? [];
  readsByContext.delete(context);
  return reads;
}

/**
 * `extract(document)` run in `frame`, for the browser path of a screen that may also be read
 * over HTTP. `extract` is sent as source, so it must use nothing from its module but itself
 * and its argument; what it returns must survive `JSON.stringify`.
 */
export async function extractInFrame<T>(frame: Page | Frame, extract: (document: Document) => T): Promise<T> {
  return frame.evaluate(documentScript(extract)) as Promise<T>;
}
