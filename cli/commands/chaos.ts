/**
 * `ferry chaos [--records N] [--workers W] [--kills K] [--json]`: the fault-injection proof
 * of exactly-once (see bench/chaos/). Exits 1 when a record was lost or duplicated, a job
 * stayed active, or the ledger and the target disagree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runChaos, type ChaosResult } from '../../bench/chaos/chaos.ts';
import { config } from '../../runner/config.ts';
import { positiveInt } from '../options.ts';
import { note, printJson, say } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';

function broken(result: ChaosResult): string[] {
  const fund = result.housingFund;
  const checks = {
    lost: result.lost, duplicated: result.duplicated, stuckActive: result.stuckActive, ledgerMismatches: result.ledgerMismatches,
    'housing-fund lost': fund.lost, 'housing-fund duplicated': fund.duplicated, 'housing-fund ledger mismatches': fund.ledgerMismatches,
  };
  return Object.entries(checks).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`);
}

export function registerChaos(program: Command): void {
  program
    .command('chaos')
    .description('fault-injection proof of exactly-once: kills workers and Redis, makes the target fail; counts lost and duplicated records')
    .option('--records <n>', 'runs to enqueue', '1000')
    .option('--workers <n>', 'worker processes', '3')
    .option('--kills <n>', 'worker deaths to cause (half kill -9, half between save and ledger)', '20')
    .option('--session-expiry <seconds>', 'log every fixture session out this often', '120')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
      lifetime.defer(() => rmSync(dataDir, { recursive: true, force: true }));
      const result = await runChaos({
        dataDir,
        records: positiveInt(options.records, '--records'),
        workers: positiveInt(options.workers, '--workers'),
        kills: positiveInt(options.kills, '--kills', 0),
        sessionExpirySeconds: positiveInt(options.sessionExpiry, '--session-expiry'),
        chromiumPath: config().chromiumPath,
        tessdataDir: config().tessdataDir,
        onProgress: note,
        signal: lifetime.stopping,
      });
      say(options.json, `${result.records} runs in ${result.seconds}s: ${result.entered} entered, ${result.rejected} rejected, ${result.needsReview} need review, ${result.failed} failed.`);
      say(options.json, `Lost ${result.lost}, duplicated ${result.duplicated}, stuck active ${result.stuckActive}, ledger mismatches ${result.ledgerMismatches}.`);
      say(options.json, `Faults: ${result.randomKills} kill -9, ${result.inWindowKills} kills between save and ledger, ${result.redisRestarts} Redis restart, ${result.crashes} crashes.`);
      const fund = result.housingFund;
      say(options.json, `Housing fund: ${fund.records} runs, ${fund.entered} opened, ${fund.rejected} rejected, ${fund.needsReview} need review; lost ${fund.lost}, duplicated ${fund.duplicated}, ledger mismatches ${fund.ledgerMismatches}.`);
      for (const [reason, count] of Object.entries(result.reviewReasons)) say(options.json, `  needs review ×${count}: ${reason}`);
      if (options.json) printJson(result);
      const failures = broken(result);
      if (failures.length > 0) {
        note(`ferry chaos: exactly-once broken: ${failures.join(', ')}`);
        process.exitCode = 1;
      }
    }));
}
