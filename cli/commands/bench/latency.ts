/** `ferry bench latency [--runs N] [--backlog N] [--json]`: a clerk's trigger → receipt on a warm worker. */
import type { Command } from 'commander';
import { runLatencyBench } from '../../../bench/latency.ts';
import { config } from '../../../runner/config.ts';
import { note, printJson, say } from '../../output.ts';
import { positiveInt } from '../../options.ts';
import { runStoppableBench } from './stoppable.ts';

export function registerLatencyBench(bench: Command): void {
  bench
    .command('latency')
    .description("a window clerk's trigger → receipt on a warm worker, one run at a time")
    .option('--runs <n>', 'runs to time', '50')
    .option('--backlog <n>', 'sync runs to queue first, draining while the clerk runs are timed', '0')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const runs = positiveInt(options.runs, '--runs');
      const backlog = options.backlog === '0' ? 0 : positiveInt(options.backlog, '--backlog');
      await runStoppableBench('latency', async (signal) => {
        const result = await runLatencyBench(config(), { runs, backlog, onProgress: note, signal });
        const behind = backlog > 0 ? ` behind a backlog of ${backlog} sync runs (${result.backlogLeft} still queued at the end)` : '';
        say(options.json, `Trigger → receipt over ${result.runs} runs${behind}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (target ≤ 2000 ms), max ${result.maxMs} ms.`);
        if (options.json) printJson(result);
      });
    });
}
