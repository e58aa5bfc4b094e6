/** `ferry bench soak [--runs N] [--json]`: memory of one worker and its Chromium over many runs. */
import type { Command } from 'commander';
import { runSoakBench } from '../../../bench/soak.ts';
import { config } from '../../../runner/config.ts';
import { note, printJson, say } from '../../output.ts';
import { positiveInt } from '../../options.ts';
import { runStoppableBench } from './stoppable.ts';

export function registerSoakBench(bench: Command): void {
  bench
    .command('soak')
    .description('many runs through one worker process: its memory and its Chromium\'s, sampled every few hundred runs, and leaked pages or contexts')
    .option('--runs <n>', 'runs through the worker', '10000')
    .option('--sample-every <n>', 'runs between memory samples', '500')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const runs = positiveInt(options.runs, '--runs');
      const sampleEvery = positiveInt(options.sampleEvery, '--sample-every');
      await runStoppableBench('soak', async (signal) => {
        const r = await runSoakBench(config(), { runs, sampleEvery, onProgress: note, signal });
        say(options.json, `${r.runs} runs in ${r.seconds} s (${r.runsFailed} failed). From run ${r.warmUpRuns} to the end (target ≤ 10% growth each):`);
        say(options.json, `  worker ${r.workerRssStartMb} → ${r.workerRssEndMb} MB (${r.workerGrowthPct}%; its JavaScript heap ${r.workerHeapStartMb} → ${r.workerHeapEndMb} MB, ${r.workerHeapGrowthPct}%), Chromium ${r.chromiumRssStartMb} → ${r.chromiumRssEndMb} MB (${r.chromiumGrowthPct}%).`);
        say(options.json, `  Open at the end: ${r.openContextsEnd} browser contexts, ${r.openPagesEnd} pages, for ${r.openSessionsEnd} sessions.`);
        if (options.json) printJson(r);
      });
    });
}
