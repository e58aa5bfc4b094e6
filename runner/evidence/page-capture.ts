/**
 * What a failed run's pages looked like: a screenshot and the HTML (with every frame) of every
 * page open in the run's contexts (each bot's page, and any popup or new window a step opened),
 * the screens read over HTTP as the system sent them, and each context's Playwright trace chunk.
 * The same for every storage: each file is handed over in clear, for the store to seal.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lane } from '../browser/session-pool.ts';
import { takeHttpReads } from '../browser/screen-over-http.ts';

/** Takes one evidence file in clear, by name. */
export type PutEvidence = (file: string, content: Buffer) => Promise<void>;

/**
 * Starts a trace chunk on every lane of a run, and forgets the screens earlier runs read over HTTP.
 * A chunk still open is discarded first: the one `tracing.start()` opened on a new or recycled
 * context, or after a log-in. Playwright's client collects each chunk's call stacks in a session
 * that only ending the chunk closes; `startChunk` over an open chunk leaves that session behind,
 * and it then takes the stack of every later call in the worker, for the life of the worker.
 */
export async function startTraceChunks(lanes: Lane[], runId: string): Promise<void> {
  for (const lane of lanes) takeHttpReads(lane.context);
  await Promise.all(lanes.map(async (lane) => {
    await lane.context.tracing.stopChunk();
    await lane.context.tracing.startChunk({ title: runId });
  }));
}

/** Ends the lanes' trace chunks, keeping nothing; a chunk already ended is no error. */
export async function discardTraceChunks(lanes: Lane[]): Promise<void> {
  await Promise.all(lanes.map((lane) => lane.context.tracing.stopChunk().catch(() => {})));
}

async function pageHtml(page: Page): Promise<string> {
  const parts: string[] = [];
  for (const frame of page.frames()) {
    const html = await frame.content().catch((error: Error) => `<!-- unreadable: ${error.message} -->`);
    parts.push(`<!-- frame ${frame.name() || '(top)'} ${frame.url()} -->\n${html}`);
  }
  return parts.join('\n\n');
}

async function capturePage(page: Page, name: string, put: PutEvidence): Promise<void> {
  const screenshot = await page.screenshot({ timeout: 5000 }).catch(() => null);
  if (screenshot) await put(`${name}.png`, screenshot);
  await put(`${name}.html`, Buffer.from(await pageHtml(page), 'utf8'));
}

/**
 * Screenshot and HTML of every page of the lanes, and their trace chunks, each to `put`.
 * Playwright writes a chunk to a file itself: it goes to a fresh owner-only folder in
 * `scratchDir` and is removed once handed over.
 */
export async function captureLanes(lanes: Lane[], scratchDir: string, put: PutEvidence): Promise<void> {
  await mkdir(scratchDir, { recursive: true, mode: 0o700 });
  const scratch = await mkdtemp(join(scratchDir, '.clear-'));
  try {
    for (const lane of lanes) {
      await capturePage(lane.page, lane.bot.id, put);
      const popups = lane.context.pages().filter((page) => page !== lane.page && !page.isClosed());
      for (const [i, popup] of popups.entries()) await capturePage(popup, `${lane.bot.id}-popup-${i + 1}`, put);
      for (const [i, read] of takeHttpReads(lane.context).entries()) await put(`${lane.bot.id}-http-${i + 1}.html`, read.body);
      const clear = join(scratch, `${lane.bot.id}.trace.zip`);
      if (await lane.context.tracing.stopChunk({ path: clear }).then(() => true, () => false)) await put(`${lane.bot.id}.trace.zip`, await readFile(clear));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
