/** `ferry bench throughput`: Ferry with every guarantee on against the hand-written baseline (bench/throughput.ts). */
import type { Command } from 'commander';
import { runThroughputBench, type ThroughputHalf } from '../../../bench/throughput.ts';
import type { CpuGroups } from '../../../bench/cpu-groups.ts';
import { config } from '../../../runner/config.ts';
import { positiveInt } from '../../options.ts';
import { note, printJson, say } from '../../output.ts';
import { startProgress, type ProgressBar } from '../../progress-bar.ts';
import { runStoppableBench } from './stoppable.ts';

const LABELS: Record<ThroughputHalf, string> = { ferry: 'Ferry runs settled', baseline: 'baseline cases entered' };

/** One progress bar per half, started at its first record and ended at its last. */
function halfBars(): (half: ThroughputHalf, done: number, total: number) => void {
  const bars = new Map<ThroughputHalf, ProgressBar>();
  return (half, done, total) => {
    if (!bars.has(half)) bars.set(half, startProgress(total, LABELS[half]));
    bars.get(half)!.update(done);
    if (done >= total) bars.get(half)!.stop();
  };
}

const cpuLine = (groups: CpuGroups) => `Node ${groups.node}, Chromium ${groups.chromium}, fixtures ${groups.fixtures}`
  + (groups.redis === undefined ? '' : `, Redis ${groups.redis}`);

export function registerThroughputBench(bench: Command): void {
  bench
    .command('throughput')
    .description('records/s acceptance → medical-insurance: Ferry with every guarantee on vs. the hand-written baseline, with CPU ms per record by process group')
    .option('--records <n>', 'cases to transfer (3000 is the daily volume)', '1000')
    .option('--concurrency <n>', 'runs (Ferry) and pages (baseline) at once', '4')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const records = positiveInt(options.records, '--records');
      const concurrency = positiveInt(options.concurrency, '--concurrency');
      await runStoppableBench('throughput', async (signal) => {
        const result = await runThroughputBench(config(), { records, concurrency, onProgress: note, onRecords: halfBars(), signal });
        say(options.json, `Ferry: ${result.ferryPerSec} records/s (${result.ferrySeconds} s); baseline: ${result.baselinePerSec} records/s (${result.baselineSeconds} s).`);
        say(options.json, `Ratio ${result.ratio} at concurrency ${result.concurrency} (target ≥ 1.0 at 4); both left the same ${result.records} target rows.`);
        say(options.json, `CPU ms per record, Ferry: ${cpuLine(result.cpuMsPerRecord.ferry)}.`);
        say(options.json, `CPU ms per record, baseline: ${cpuLine(result.cpuMsPerRecord.baseline)}.`);
        if (options.json) printJson(result);
      });
    });
}
