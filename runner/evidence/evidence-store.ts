/**
 * Evidence of runs: documents a recipe kept (a 回执 PDF), and, when a run failed, a screenshot and the HTML (with every frame) of every page open
 * in the run's contexts (each bot's page, and any popup or new window a step opened), and
 * each context's Playwright trace chunk, in an owner-only folder under the data dir.
 * Each file is sealed with the secret key (AES-256-GCM, see {@link SecretBox}): the pages
 * show full ID numbers, so nothing of them lies on disk in clear; {@link EvidenceStore.read}
 * opens one for an ops download. Symbolic links in the evidence dir are never followed.
 * A successful run's trace chunk is discarded. Old evidence is swept after its retention.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lane } from '../browser/session-pool.ts';
import { maskText } from '../access/mask.ts';
import type { SecretBox } from '../access/secrets.ts';

/** What a failed run left behind. */
export interface EvidenceManifest {
  runId: string;
  recipe: string;
  reason: string;
  capturedAt: string;
  files: string[];
}

async function pageHtml(page: Page): Promise<string> {
  const parts: string[] = [];
  for (const frame of page.frames()) {
    const html = await frame.content().catch((error: Error) => `<!-- unreadable: ${error.message} -->`);
    parts.push(`<!-- frame ${frame.name() || '(top)'} ${frame.url()} -->\n${html}`);
  }
  return parts.join('\n\n');
}

/** A document a recipe keeps with its run (`keep(name, content)`): a plain file name with one of these types. */
export const KEPT_DOCUMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(pdf|png|jpg|jpeg|html|txt|xml)$/;
/** Where a kept document is stored in the folder. */
export const KEPT_PREFIX = 'kept-';

/**
 * The names evidence files may have: `<bot>.png`, `<bot>.html`, `<bot>.trace.zip`, a popup's
 * `<bot>-popup-<n>.png|html`, and a kept document's `kept-<name>`.
 */
const EVIDENCE_FILE = new RegExp(`^(?:[a-z0-9-]+\\.(?:png|html|trace\\.zip)|${KEPT_PREFIX}${KEPT_DOCUMENT.source.slice(1, -1)})$`);

/** Reads a regular file, refusing a symbolic link (O_NOFOLLOW) and anything not a file. */
async function readNoFollow(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${path} is not a file`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export class EvidenceStore {
  constructor(readonly dir: string, private readonly retentionDays: number, private readonly box: SecretBox) {}

  /** Seals `plain` into a new owner-only file (never through an existing file or link). */
  private async writeSealed(path: string, plain: Buffer): Promise<void> {
    await writeFile(path, this.box.sealBytes(plain), { mode: 0o600, flag: 'wx' });
  }

  /** Starts a trace chunk on every lane of a run. */
  async begin(lanes: Lane[], runId: string): Promise<void> {
    await Promise.all(lanes.map((lane) => lane.context.tracing.startChunk({ title: runId })));
  }

  /**
   * Ends the run's trace chunks, keeping them with screenshot and HTML when it failed, and
   * the documents the recipe kept (`kept`, by name) either way. Returns the folder, if any.
   */
  async end(lanes: Lane[], run: { runId: string; recipe: string }, failure?: Error, kept: ReadonlyMap<string, Buffer> = new Map()): Promise<string | undefined> {
    if (!failure) await Promise.all(lanes.map((lane) => lane.context.tracing.stopChunk().catch(() => {})));
    if (!failure && kept.size === 0) return undefined;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const folder = join(this.dir, `${run.runId}-${Date.now()}`);
    await mkdir(folder, { mode: 0o700 });
    const files: string[] = [];
    for (const [name, content] of kept) await this.writeSealed(join(folder, `${KEPT_PREFIX}${name}`), content).then(() => files.push(`${KEPT_PREFIX}${name}`));
    if (failure) await this.capture(lanes, folder, files);
    const manifest: EvidenceManifest = {
      runId: run.runId, recipe: run.recipe, reason: failure ? maskText(failure.message) : 'documents the recipe kept', capturedAt: new Date().toISOString(), files,
    };
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return folder;
  }

  /** Screenshot and HTML of every page of the lanes, and their trace chunks, into `folder`. */
  private async capture(lanes: Lane[], folder: string, files: string[]): Promise<void> {
    const capture = async (page: Page, name: string) => {
      const screenshot = await page.screenshot({ timeout: 5000 }).catch(() => null);
      if (screenshot) await this.writeSealed(join(folder, `${name}.png`), screenshot).then(() => files.push(`${name}.png`));
      await this.writeSealed(join(folder, `${name}.html`), Buffer.from(await pageHtml(page), 'utf8')).then(() => files.push(`${name}.html`));
    };
    for (const lane of lanes) {
      const base = join(folder, lane.bot.id);
      await capture(lane.page, lane.bot.id);
      const popups = lane.context.pages().filter((page) => page !== lane.page && !page.isClosed());
      for (const [i, popup] of popups.entries()) await capture(popup, `${lane.bot.id}-popup-${i + 1}`);
      // Playwright writes the chunk itself; it is sealed at once and the clear copy removed.
      const clear = `${base}.trace-clear.zip`;
      if (await lane.context.tracing.stopChunk({ path: clear }).then(() => true, () => false)) {
        await this.writeSealed(`${base}.trace.zip`, await readNoFollow(clear)).then(() => files.push(`${lane.bot.id}.trace.zip`));
        await unlink(clear);
      }
    }
  }

  /** The names of the evidence files of a folder, from its manifest; none when the folder is not a real folder under the evidence dir. */
  async files(folder: string): Promise<string[]> {
    const root = resolve(this.dir);
    if (!resolve(folder).startsWith(root + sep) || resolve(folder, '..') !== root) return [];
    const info = await lstat(folder).catch(() => null);
    if (!info?.isDirectory()) return [];
    const manifest = await readNoFollow(join(folder, 'manifest.json')).catch(() => null);
    return manifest ? (JSON.parse(manifest.toString('utf8')) as EvidenceManifest).files.filter((file) => EVIDENCE_FILE.test(file)) : [];
  }

  /** One evidence file, decrypted; null when the manifest does not list it or it is a link or gone; a SecretKeyError when it was altered. */
  async read(folder: string, file: string): Promise<Buffer | null> {
    if (!(await this.files(folder)).includes(file)) return null;
    const sealed = await readNoFollow(join(folder, file)).catch(() => null);
    if (!sealed) return null;
    return this.box.openBytes(sealed, `Evidence ${file}`);
  }

  /** Deletes evidence folders older than the retention period; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const entry of entries) {
      const path = join(this.dir, entry);
      const { mtimeMs } = await lstat(path);
      if (now - mtimeMs > this.retentionDays * 86_400_000) {
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}
