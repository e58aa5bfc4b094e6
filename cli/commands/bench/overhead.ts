/** `ferry bench overhead [--runs N] [--replicas] [--json]`: Ferry's machinery per run against a bare BullMQ job. */
import type { Command } from 'commander';
import { runOverheadBench } from '../../../bench/overhead.ts';
import { config } from '../../../runner/config.ts';
import { note, printJson, say } from '../../output.ts';
import { positiveInt } from '../../options.ts';
import { runStoppableBench } from './stoppable.ts';

export function registerOverheadBench(bench: Command): void {
  bench
    .command('overhead')
    .description("the cost of Ferry's machinery per run (ledger, history, stats, logging, trace chunk) against a bare BullMQ job")
    .option('--runs <n>', 'jobs and runs to time', '500')
    .option('--replicas', 'also through a Redis primary with a replica behind Sentinel, without and with WAIT: what WAIT costs a run')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const runs = positiveInt(options.runs, '--runs');
      await runStoppableBench('overhead', async (signal) => {
        const result = await runOverheadBench(config(), { runs, replicas: Boolean(options.replicas), onProgress: note, signal });
        say(options.json, `Over ${result.runs} runs, one at a time: a bare BullMQ job ${result.bareMsPerRun} ms, a Ferry run ${result.ferryMsPerRun} ms; Ferry's overhead ${result.overheadMsPerRun} ms per run.`);
        if (result.replicas) {
          const { noWaitMsPerRun, waitMsPerRun, waitCostMsPerRun } = result.replicas;
          say(options.json, `Through a primary and a replica: ${noWaitMsPerRun} ms per run without WAIT, ${waitMsPerRun} ms with WAIT for 1 replica; WAIT costs ${waitCostMsPerRun} ms per run.`);
        }
        if (options.json) printJson(result);
      });
    });
}
