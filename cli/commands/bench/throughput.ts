/** `ferry bench throughput`: Ferry with every guarantee on against the hand-written baseline (bench/throughput.ts). */
import type { Command } from 'commander';
import { runThroughputBench } from '../../../bench/throughput.ts';
import { config } from '../../../runner/config.ts';
import { positiveInt } from '../../options.ts';
import { note, printJson, say } from '../../output.ts';

export function registerThroughputBench(bench: Command): void {
  bench
    .command('throughput')
    .description('records/s acceptance → medical-insurance: Ferry with every guarantee on vs. the hand-written baseline')
    .option('--records <n>', 'cases to transfer', '1000')
    .option('--concurrency <n>', 'runs (Ferry) and pages (baseline) at once', '4')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const result = await runThroughputBench(config(), {
        records: positiveInt(options.records, '--records'),
        concurrency: positiveInt(options.concurrency, '--concurrency'),
        onProgress: note,
      });
      say(options.json, `Ferry: ${result.ferryPerSec} records/s (${result.ferrySeconds} s); baseline: ${result.baselinePerSec} records/s (${result.baselineSeconds} s).`);
      say(options.json, `Ratio ${result.ratio} at concurrency ${result.concurrency} (target ≥ 1.0 at 4); both left the same ${result.records} target rows.`);
      if (options.json) printJson(result);
    });
}
