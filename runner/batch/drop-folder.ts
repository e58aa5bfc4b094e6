/**
 * The drop folder: an office's shared directory, `FERRY_BATCH_DROP_DIR`, holding one folder per
 * recipe that takes files that way (`<dir>/<recipe id>/`; a recipe without one takes none).
 * The scheduler looks every half minute. A file that has stopped changing is claimed by moving
 * it into `processing/` (a rename, so of several schedulers one takes it), handed to the batch
 * desk, its good rows queued, and moved to `done/`, or to `rejected/` when it cannot be read,
 * with a report beside it. A file left in `processing/` by a scheduler that died is put back.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import { triggeredBy } from '../run/types.ts';
import { BatchFileError } from './batch-file.ts';
import type { BatchDesk } from './batch-desk.ts';
import type { Batch } from './batch-store.ts';

/** How long a file must stay unchanged before it is taken: a copy still being written is left alone. */
export const SETTLE_MS = 10_000;
/** A file in `processing/` this old was left by a scheduler that stopped half-way. */
const ABANDONED_MS = 10 * 60_000;
const TAKEN = /\.(xlsx|csv|txt)$/i;

/** What one look at the drop folder did. */
export interface DropFolderSweep {
  done: string[];
  rejected: string[];
}

/** Options of {@link sweepDropFolder}. */
export interface DropFolderOptions {
  dir: string;
  desk: BatchDesk;
  recipes: RecipeRegistry;
  log: Logger;
  /** The dashboard's address, for the link in a report. */
  dashboardUrl?: string;
  now?: () => number;
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function report(fileName: string, batch: Batch, dashboardUrl: string | undefined): string {
  return [
    `文件 file: ${fileName}`,
    `批次 batch: ${batch.id}${dashboardUrl ? ` ${dashboardUrl}/batches/${batch.id}` : ''}`,
    `事项 recipe: ${batch.recipe}`,
    `${batch.rows} 行 rows: ${batch.good.length} 条已入队 queued, ${batch.bad.length} 条有问题 bad`,
    ...batch.bad.map((bad) => `第 ${bad.row} 行 row ${bad.row}${bad.column ? ` ${bad.column}` : ''}: ${bad.reason}`),
    '',
  ].join('\n');
}

/** Takes every settled file of every recipe folder; safe to run from any number of schedulers at once. */
export async function sweepDropFolder(options: DropFolderOptions): Promise<DropFolderSweep> {
  const now = options.now ?? Date.now;
  const swept: DropFolderSweep = { done: [], rejected: [] };
  for (const recipe of options.recipes.all()) {
    const folder = join(options.dir, recipe.id);
    if (!(await stat(folder).catch(() => null))?.isDirectory()) continue;
    await putBackAbandoned(folder, now());
    for (const name of await readdir(folder)) {
      const file = join(folder, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || !TAKEN.test(name) || name.startsWith('.') || name.startsWith('~$') || now() - info.mtimeMs < SETTLE_MS) continue;
      // The claim's time leads the name in processing/, so an abandoned claim is known by it.
      const claimed = join(folder, 'processing', `${now()}~${name}`);
      await mkdir(join(folder, 'processing'), { recursive: true });
      try {
        await rename(file, claimed);
      } catch {
        continue; // Another scheduler took it first.
      }
      const outcome = await takeFile(recipe.id, claimed, name, options, now());
      swept[outcome].push(`${recipe.id}/${name}`);
    }
  }
  return swept;
}

async function takeFile(recipe: string, claimed: string, name: string, options: DropFolderOptions, at: number): Promise<'done' | 'rejected'> {
  const actor = { name: `drop-folder:${recipe}`, identity: triggeredBy.schedule(recipe), seesAll: true };
  let outcome: 'done' | 'rejected';
  let text: string;
  try {
    const batch = await options.desk.upload({ recipe, fileName: name, bytes: await readFile(claimed), source: 'drop-folder' }, actor);
    await options.desk.queue(batch.id, actor);
    outcome = 'done';
    text = report(name, batch, options.dashboardUrl);
  } catch (error) {
    if (!(error instanceof BatchFileError)) throw error;
    outcome = 'rejected';
    text = `文件 file: ${name}\n未处理 not taken: ${error.message}\n`;
  }
  const to = join(options.dir, recipe, outcome);
  await mkdir(to, { recursive: true });
  const moved = `${stamp(at)}-${name}`;
  await rename(claimed, join(to, moved));
  await writeFile(join(to, `${moved}.report.txt`), text);
  options.log.info({ recipe, file: moved, outcome }, 'drop-folder file taken');
  return outcome;
}

/** Moves back files a scheduler claimed and never finished, so the next look takes them. */
async function putBackAbandoned(folder: string, now: number): Promise<void> {
  const processing = join(folder, 'processing');
  for (const claimed of await readdir(processing).catch(() => [] as string[])) {
    const match = /^(\d+)~(.+)$/.exec(claimed);
    if (match && now - Number(match[1]) > ABANDONED_MS) await rename(join(processing, claimed), join(folder, match[2])).catch(() => {});
  }
}
