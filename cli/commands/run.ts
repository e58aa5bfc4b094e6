/** `ferry run <recipe> --input JSON [--wait]`: trigger one run, optionally wait for its outcome. */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { runOutcomes } from '../../runner/run/await-outcome.ts';
import { config } from '../../runner/config.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { parseInputJson, triggerRun } from '../../runner/run/trigger.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import { note, printJson } from '../output.ts';

export function registerRun(program: Command): void {
  program
    .command('run <recipe>')
    .description('trigger one run of a recipe')
    .requiredOption('--input <json>', 'the recipe input, e.g. \'{"caseNo":"SL2026..."}\'')
    .option('--wait', 'wait and print the outcome as JSON')
    .action(async (recipeId: string, options) => {
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        const recipe = runtime.recipes.get(recipeId);
        const job = await triggerRun(runtime.queue, recipe, parseInputJson(options.input), {
          trigger: { via: 'cli', by: triggeredBy.cli(userInfo().username) },
          hash: (value) => runtime.secrets.keyedHash(value), secrets: runtime.secrets,
          attempts: runtime.config.attempts,
        });
        // The same (recipe, key) finds its first run; one that failed for good is run again only by a retry.
        if ((await runtime.queue.getJobState(job.id!)) === 'failed') {
          note(`run ${job.id} of this record failed earlier; once its cause is fixed, run it again with \`ferry retry ${job.id}\``);
        }
        if (!options.wait) return printJson({ run: job.id, recipe: recipe.id });
        const outcomes = runOutcomes(runtime.queue, runtime.ledger);
        try {
          printJson({ run: job.id, ...(await outcomes.wait(job.id!)) });
        } finally {
          await outcomes.close();
        }
      } finally {
        await runtime.close();
      }
    });
}
