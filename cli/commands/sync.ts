/**
 * `ferry sync <recipe> [--wait] [--json]`: what the scheduler does at a slot, by hand now.
 * With --wait it follows the runs with a progress bar (stderr) and ends with a summary.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import { enqueueSync } from '../../runner/scheduler/sync-jobs.ts';
import { awaitSync, awaitSyncRuns, type SyncSummary } from '../../runner/scheduler/sync-progress.ts';
import { note, printJson, say } from '../output.ts';
import { startProgress } from '../progress-bar.ts';

/** Parses `--lookback-days`: a whole number of days, 0 or more. */
export function parseLookbackDays(text: string): number {
  const days = Number(text);
  if (!Number.isInteger(days) || days < 0) throw new InputError(`--lookback-days must be a whole number of days, not "${text}".`);
  return days;
}

function summaryLines(s: SyncSummary): string[] {
  return [
    `sync ${s.sync}: listed ${s.listed} since ${s.since}; ${s.skipped} already settled, ${s.runs} runs`,
    `  entered ${s.entered}, already present ${s.alreadyPresent}, rejected ${s.rejected}, needs review ${s.needsReview}, failed ${s.failed}` +
      (s.waitingForPerson ? `, ${s.waitingForPerson} waiting for an answer (ferry tasks)` : ''),
    ...s.topRejections.map(({ reason, count }) => `  rejected ${count}× ${reason}`),
  ];
}

export function registerSync(program: Command): void {
  program
    .command('sync <recipe>')
    .description("run a recipe's list step now and fan out one run per new record")
    .option('--wait', 'follow the runs with a progress bar, then print a summary')
    .option('--json', 'print JSON lines only; the last is the result')
    .option('--lookback-days <n>', "how far back a recipe's first sync ever lists", '1')
    .action(async (recipeId: string, options) => {
      const lookbackDays = parseLookbackDays(options.lookbackDays);
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        const recipe = runtime.recipes.get(recipeId);
        if (!recipe.schedule) throw new InputError(`Recipe "${recipe.id}" has no schedule (nothing to list); trigger its runs with \`ferry run\`.`);
        const job = await enqueueSync(runtime.syncs, recipe.id, new Date(), { trigger: { via: 'cli', by: triggeredBy.cli(userInfo().username) }, lookbackDays });
        if (!options.wait) {
          if (options.json) printJson({ sync: job.id, recipe: recipe.id });
          else say(false, `sync ${job.id} enqueued; a worker will list and fan out`);
          return;
        }
        note(`sync ${job.id} enqueued; waiting for a worker (\`ferry worker\`) to list ${recipe.id}…`);
        const result = await awaitSync(runtime.syncs, job.id!);
        const { since, listed, skipped } = result;
        if (result.waitingFor) {
          if (options.json) printJson({ sync: job.id, recipe: recipe.id, since, waitingFor: result.waitingFor });
          else say(false, `sync ${job.id} waits for an answer before it fans out anything: ferry tasks answer ${result.waitingFor} --value …`);
          return;
        }
        if (options.json) printJson({ sync: job.id, recipe: recipe.id, since, listed, skipped, runs: result.keyIds.length });
        else note(`listed ${listed} since ${since}: ${result.keyIds.length} runs, ${skipped} already settled`);
        const bar = startProgress(result.keyIds.length, 'runs settled');
        const summary = await awaitSyncRuns(runtime, result, job.id!, (settled) => bar.update(settled)).finally(() => bar.stop());
        if (options.json) printJson(summary);
        else say(false, summaryLines(summary).join('\n'));
      } finally {
        await runtime.close();
      }
    });
}
