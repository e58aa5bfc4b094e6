/**
 * `ferry canary [--bot <id>] [--json]`: runs the bots' read-only canary checks now, stores the
 * reports (the overview shows them), prints each problem with its likely replacement, and
 * exits 1 when a locator no longer resolves to exactly one element.
 */
import type { Command } from 'commander';
import { runCanaries } from '../../runner/canary/run-canaries.ts';
import { CanaryStore } from '../../runner/canary/canary-store.ts';
import type { CanaryReport } from '../../runner/canary/canary.ts';
import { describeTrait } from '../../runner/canary/suggest.ts';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { printJson, say } from '../output.ts';
import { withSessionPool } from '../session-pool-use.ts';

/** A report as lines for a person: the bot, then each problem and its best suggestion. */
function describe(report: CanaryReport): string[] {
  if (!report.problems.length) return [`${report.bot}: ${report.screens} screen(s), ${report.locators} locator(s), all resolve`];
  return [`${report.bot}: ${report.problems.length} problem(s)`, ...report.problems.flatMap((problem) => [
    problem.reason ? `  ${problem.screen || report.title}: ${problem.reason}` : `  ${problem.screen} › ${problem.locator}: found ${problem.found} (${problem.description})`,
    ...problem.suggestions.slice(0, 1).map((best) => `    likely now: ${best.locator}  (same ${best.because.map(describeTrait).join(', ')})`),
  ])];
}

export function registerCanary(program: Command): void {
  program
    .command('canary')
    .description('check, read-only, that the bots\' screens still match their page objects; exit 1 on drift')
    .option('--bot <id>', 'only this bot')
    .option('--json', 'print the reports as one JSON line (crops left out)')
    .action(async (options: { bot?: string; json?: boolean }) => {
      const reports = await withSessionPool(config(), async (runtime, pool) => {
        const bots = options.bot ? [runtime.recipes.bot(options.bot)] : runtime.recipes.botIds().map((id) => runtime.recipes.bot(id));
        if (options.bot && !bots[0].canaries?.length) throw new InputError(`Bot "${options.bot}" declares no canaries (defineBot({ canaries })).`);
        return runCanaries(bots, { pool, store: new CanaryStore(runtime.redis, runtime.keys), log: runtime.log });
      });
      if (options.json) {
        printJson({ reports: reports.map((report) => ({ ...report, problems: report.problems.map((problem) => ({ ...problem, suggestions: problem.suggestions.map(({ crop: _crop, ...rest }) => rest) })) })) });
      } else {
        for (const line of reports.flatMap(describe)) say(false, line);
      }
      if (reports.some((report) => report.problems.length)) process.exitCode = 1;
    });
}
