/**
 * Evidence of failed runs: a screenshot, the HTML (with every frame) and the Playwright
 * trace chunk of each page the run touched, in an owner-only folder under the data dir.
 * A successful run's trace chunk is discarded. Old evidence is swept after its retention.
 */
import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lane } from '../browser/session-pool.ts';
import { maskText } from '../access/mask.ts';

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

export class EvidenceStore {
  constructor(readonly dir: string, private readonly retentionDays: number) {}

  /** Starts a trace chunk on every lane of a run. */
  async begin(lanes: Lane[], runId: string): Promise<void> {
    await Promise.all(lanes.map((lane) => lane.context.tracing.startChunk({ title: runId })));
  }

  /** Ends the run's trace chunks, keeping them with screenshot and HTML when it failed. */
  async end(lanes: Lane[], run: { runId: string; recipe: string }, failure?: Error): Promise<string | undefined> {
    if (!failure) {
      await Promise.all(lanes.map((lane) => lane.context.tracing.stopChunk().catch(() => {})));
      return undefined;
    }
    const folder = join(this.dir, `${run.runId}-${Date.now()}`);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const files: string[] = [];
    for (const lane of lanes) {
      const base = join(folder, lane.bot.id);
      await lane.page.screenshot({ path: `${base}.png`, timeout: 5000 }).then(() => files.push(`${lane.bot.id}.png`), () => {});
      await writeFile(`${base}.html`, await pageHtml(lane.page), { mode: 0o600 }).then(() => files.push(`${lane.bot.id}.html`));
      await lane.context.tracing.stopChunk({ path: `${base}.trace.zip` }).then(() => files.push(`${lane.bot.id}.trace.zip`), () => {});
    }
    await Promise.all(files.map((file) => chmod(join(folder, file), 0o600).catch(() => {})));
    const manifest: EvidenceManifest = {
      runId: run.runId, recipe: run.recipe, reason: maskText(failure.message), capturedAt: new Date().toISOString(), files,
    };
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return folder;
  }

  /** Deletes evidence folders older than the retention period; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const entry of entries) {
      const path = join(this.dir, entry);
      const { mtimeMs } = await stat(path);
      if (now - mtimeMs > this.retentionDays * 86_400_000) {
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}
