/**
 * `ferry chaos [--recipe <id> [--inputs <file>] [--since <date>]] [--topology single|sentinel
 * [--hosts N]] [--records N] [--workers W] [--kills K] [--json]`: the fault-injection proof of
 * exactly-once (see bench/chaos/), on the fixture systems' enrollment and housing-fund recipes,
 * or on any one recipe. Exits 1 when a record was lost or duplicated, a job stayed active, or
 * the ledger and the target disagree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runChaos, type ChaosResult } from '../../bench/chaos/chaos.ts';
import { runRecipeChaos, type RecipeChaosResult } from '../../bench/chaos/recipe-chaos.ts';
import type { ChaosTally } from '../../bench/chaos/tally.ts';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { isoDate, positiveInt } from '../options.ts';
import { note, printJson, say } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';

type Counts = Pick<ChaosTally, 'lost' | 'duplicated' | 'ledgerMismatches'>;

/** The checks that break exactly-once, with their counts, for each target. */
function broken(result: ChaosResult | RecipeChaosResult): string[] {
  const of = (prefix: string, counts: Counts) => ({
    [`${prefix}lost`]: counts.lost, [`${prefix}duplicated`]: counts.duplicated, [`${prefix}ledger mismatches`]: counts.ledgerMismatches,
  });
  const checks = { ...of('', result), stuckActive: result.stuckActive, ...('housingFund' in result ? of('housing-fund ', result.housingFund) : {}) };
  return Object.entries(checks).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`);
}

function report(result: ChaosResult | RecipeChaosResult, json: boolean): void {
  const what = 'recipe' in result ? `${result.recipe} on the ${result.systems === 'fixtures' ? 'fixture systems' : 'configured systems'}: ` : '';
  say(json, `${what}${result.records} runs in ${result.seconds}s: ${result.entered} entered, ${result.rejected} rejected, ${result.needsReview} need review, ${result.failed} failed.`);
  say(json, `Lost ${result.lost}, duplicated ${result.duplicated}, stuck active ${result.stuckActive}, ledger mismatches ${result.ledgerMismatches}.`);
  if ('topology' in result && result.topology === 'sentinel') {
    say(json, `Faults on ${result.hosts} hosts: ${result.randomKills} hosts killed (kill -9), ${result.inWindowKills} kills between save and ledger, ${result.cuts} links cut, ` +
      `${result.failOvers} Redis fail-over, ${result.crashes} crashes; ${result.fencedRuns} runs fenced (browser closed when their lease lapsed); ` +
      `${result.hungOnStop} workers SIGKILLed for not stopping.`);
  } else {
    say(json, `Faults: ${result.randomKills} kill -9, ${result.inWindowKills} kills between save and ledger, ${result.redisRestarts} Redis restart, ${result.crashes} crashes.`);
  }
  if ('housingFund' in result) {
    const fund = result.housingFund;
    say(json, `Housing fund: ${fund.records} runs, ${fund.entered} opened, ${fund.rejected} rejected, ${fund.needsReview} need review; lost ${fund.lost}, duplicated ${fund.duplicated}, ledger mismatches ${fund.ledgerMismatches}.`);
  } else {
    say(json, `Writes: ${result.writes} receipts returned${result.unreadable ? `; ${result.unreadable} listed rows could not be read and were left out` : ''}.`);
    for (const [reason, count] of Object.entries(result.rejectReasons)) say(json, `  rejected ×${count}: ${reason}`);
  }
  for (const [reason, count] of Object.entries(result.reviewReasons)) say(json, `  needs review ×${count}: ${reason}`);
}

export function registerChaos(program: Command): void {
  program
    .command('chaos')
    .description('fault-injection proof of exactly-once: kills workers and Redis, makes the target fail; counts lost and duplicated records')
    .option('--recipe <id>', 'prove this recipe (its fixture systems, or those FERRY_URL_* names) instead of the enrollment and housing-fund ones')
    .option('--inputs <file>', 'with --recipe: its inputs, a JSON array or one JSON object a line (default: what its schedule lists)')
    .option('--since <date>', 'with --recipe and no --inputs: the schedule lists from this YYYY-MM-DD (default 30 days ago)')
    .option('--records <n>', 'runs to enqueue (default 1000; with --recipe, all its inputs)')
    .option('--topology <kind>', 'single: one Redis, SIGKILLed and restarted; sentinel: a primary, a replica and 3 sentinels, the primary SIGKILLed (fail-over), the workers on hosts of their own (network namespaces: needs root)', 'single')
    .option('--hosts <n>', 'with --topology sentinel: worker hosts (links cut, hosts killed)', '3')
    .option('--workers <n>', 'worker processes (default 3; with --topology sentinel, one per host)')
    .option('--kills <n>', 'worker deaths to cause (half kill -9, half between save and ledger)', '20')
    .option('--session-expiry <seconds>', 'log every session out this often', '120')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      if (!options.recipe && (options.inputs || options.since)) throw new InputError('--inputs and --since go with --recipe <id>');
      if (!['single', 'sentinel'].includes(options.topology)) throw new InputError(`--topology: "${options.topology}" is neither single nor sentinel`);
      if (options.recipe && options.topology !== 'single') throw new InputError('--topology sentinel proves the fixture recipes; leave it out with --recipe <id>');
      if (options.topology === 'sentinel' && process.getuid?.() !== 0) throw new InputError('--topology sentinel puts each worker on a host of its own (a network namespace), which needs root');
      const since = options.since === undefined ? undefined : isoDate(options.since, '--since');
      const common = {
        workers: options.workers === undefined ? undefined : positiveInt(options.workers, '--workers'),
        kills: positiveInt(options.kills, '--kills', 0),
        sessionExpirySeconds: positiveInt(options.sessionExpiry, '--session-expiry'),
        chromiumPath: config().chromiumPath,
        tessdataDir: config().tessdataDir,
        onProgress: note,
      };
      const records = options.records === undefined ? undefined : positiveInt(options.records, '--records');
      await runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
        lifetime.defer(() => rmSync(dataDir, { recursive: true, force: true }));
        const run = { ...common, dataDir, signal: lifetime.stopping };
        const result = options.recipe
          ? await runRecipeChaos({ ...run, recipeId: options.recipe, inputsFile: options.inputs, since, records, settings: config() })
          : await runChaos({ ...run, records: records ?? 1000, topology: options.topology, hosts: positiveInt(options.hosts, '--hosts') });
        report(result, Boolean(options.json));
        if (options.json) printJson(result);
        const failures = broken(result);
        if (failures.length > 0) {
          note(`ferry chaos: exactly-once broken: ${failures.join(', ')}`);
          process.exitCode = 1;
        }
      });
    });
}
