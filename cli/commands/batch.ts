/**
 * `ferry batch <recipe> <file> [--dry-run] [--wait] [--json] [--out FILE]`: hands a spreadsheet
 * (.xlsx or .csv) to a recipe. Every row is checked first and the bad ones are listed with their
 * row, column and reason; the good rows are queued (not with --dry-run). With --wait it follows
 * the runs with a progress bar and writes the result workbook. `ferry batch-template <recipe>`
 * writes the recipe's template workbook.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { batchDeskOf, type BatchActor, type BatchDesk } from '../../runner/batch/batch-desk.ts';
import { FINISHED_ROW_STATES, type BatchProgress } from '../../runner/batch/batch-progress.ts';
import type { Batch } from '../../runner/batch/batch-store.ts';
import { InputError } from '../../runner/errors.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import { note, printJson, say } from '../output.ts';
import { startProgress } from '../progress-bar.ts';
import { withRuntime } from '../with-runtime.ts';

/** Bad rows printed in full; the rest are counted (the result workbook has them all). */
const BAD_ROWS_SHOWN = 50;

function cliActor(): BatchActor {
  const osUser = userInfo().username;
  return { name: `cli:${osUser}`, identity: triggeredBy.cli(osUser), seesAll: true };
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function reportLines(batch: Batch): string[] {
  const shown = batch.bad.slice(0, BAD_ROWS_SHOWN).map((bad) => `  row ${bad.row}${bad.column ? ` ${bad.column}` : ''}: ${bad.reason}`);
  const more = batch.bad.length > BAD_ROWS_SHOWN ? [`  … and ${batch.bad.length - BAD_ROWS_SHOWN} more bad rows (all are in the result workbook)`] : [];
  return [
    `batch ${batch.id}: ${batch.rows} rows, ${batch.good.length} good, ${batch.bad.length} bad${batch.skipped ? `, ${batch.skipped} template rows skipped` : ''}`,
    ...shown, ...more,
  ];
}

/** Follows the runs until none is queued or running; rows waiting for a person end the wait too. */
async function follow(desk: BatchDesk, batch: Batch, actor: BatchActor): Promise<BatchProgress> {
  const bar = startProgress(batch.good.length, 'rows settled');
  try {
    for (;;) {
      const { progress } = await desk.progress(batch.id, actor);
      bar.update(progress.rows.filter((row) => row.state !== 'NOT_QUEUED' && (FINISHED_ROW_STATES.includes(row.state) || row.state === 'WAITING_FOR_PERSON')).length);
      if (progress.settled) return progress;
      await sleep(1_000);
    }
  } finally {
    bar.stop();
  }
}

export function registerBatch(program: Command): void {
  program
    .command('batch <recipe> <file>')
    .description('check a spreadsheet (.xlsx or .csv) row by row and queue its good rows as runs')
    .option('--dry-run', 'check only: list the bad rows, queue nothing')
    .option('--wait', 'follow the runs with a progress bar, then write the result workbook')
    .option('--out <file>', 'where the result workbook goes (default: beside the file, "<name>-结果.xlsx")')
    .option('--json', 'print JSON lines only; the last is the result')
    .action(async (recipeId: string, file: string, options) => withRuntime(async (runtime) => {
      if (options.dryRun && options.wait) throw new InputError('--dry-run queues nothing, so there is nothing to --wait for.');
      const desk = batchDeskOf(runtime);
      const actor = cliActor();
      let batch = await desk.upload({ recipe: recipeId, fileName: basename(file), bytes: await readInput(file), source: 'cli' }, actor);
      if (!options.json) for (const line of reportLines(batch)) say(false, line);
      const summary = { batch: batch.id, recipe: batch.recipe, rows: batch.rows, good: batch.good.length, bad: batch.bad.length, skipped: batch.skipped };
      if (!options.dryRun) batch = await desk.queue(batch.id, actor);
      if (!options.dryRun && !options.wait) {
        if (options.json) printJson({ ...summary, queued: batch.good.length });
        else say(false, `queued ${batch.good.length} runs; follow them on the dashboard's 批量 page, or run again with --wait`);
        return;
      }
      const progress = options.wait ? await follow(desk, batch, actor) : (await desk.progress(batch.id, actor)).progress;
      const out = options.out ?? join(dirname(file), `${basename(file, extname(file))}-结果.xlsx`);
      const result = await desk.result(batch.id, actor);
      // The result carries the file's personal data, as the upload did: owner-only.
      await writeFile(out, result.bytes, { mode: 0o600 });
      if (options.json) printJson({ ...summary, ...(options.wait ? { queued: batch.good.length } : {}), states: progress.counts, result: out });
      else {
        const counts = Object.entries(progress.counts).map(([state, count]) => `${state} ${count}`).join(', ');
        say(false, `${options.dryRun ? 'checked' : 'finished'}: ${counts}`);
        note(`result workbook: ${out}`);
      }
    }));

  program
    .command('batch-template <recipe>')
    .description("write a recipe's template workbook: its headers, a description row, an example and drop-down code lists")
    .option('--out <file>', 'where it goes (default: "<recipe>-模板.xlsx" here)')
    .action(async (recipeId: string, options) => withRuntime(async (runtime) => {
      const template = await batchDeskOf(runtime).template(recipeId);
      const out = options.out ?? template.fileName;
      await writeFile(out, template.bytes);
      say(false, out);
    }));
}
