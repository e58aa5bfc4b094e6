/**
 * `ferry bench <name> [--json]`: benchmarks that print figures (they live in `bench/`).
 * Each benchmark is a subcommand of `bench`; add one by appending its registrar to
 * {@link BENCHMARKS}.
 */
import type { Command } from 'commander';
import { runOcrBench } from '../../bench/ocr.ts';
import { config } from '../../runner/config.ts';
import { positiveInt } from '../options.ts';
import { note, printJson, say } from '../output.ts';
import { registerBatchCheckBench } from './bench/batch-check.ts';
import { registerLatencyBench } from './bench/latency.ts';
import { registerOverheadBench } from './bench/overhead.ts';
import { registerSoakBench } from './bench/soak.ts';
import { registerThroughputBench } from './bench/throughput.ts';

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function registerOcrBench(bench: Command): void {
  bench
    .command('ocr')
    .description('captcha solve rate and speed; accuracy of validated number-image reads (never a wrong value)')
    .option('--captchas <n>', 'captchas to solve', '300')
    .option('--fields <n>', 'number images (ID and permit numbers) to read', '200')
    .option('--seed <n>', 'random seed of captchas and applicants', '20260301')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const result = await runOcrBench({
        captchas: positiveInt(options.captchas, '--captchas'),
        imageFields: positiveInt(options.fields, '--fields'),
        seed: positiveInt(options.seed, '--seed'),
        tessdataDir: config().tessdataDir,
        onProgress: note,
      });
      const rejected = result.imageFields - Math.round(result.imageFieldAccuracy * result.imageFields) - result.wrongAccepted;
      say(options.json, `Captchas: ${result.solvedFirstTry}/${result.captchas} solved on the first try (${percent(result.solveRate)}, target 95%), median ${result.p50Ms} ms each.`);
      say(options.json, `Number images: ${percent(result.imageFieldAccuracy)} read right (target 99%), ${rejected} rejected for review, ${result.wrongAccepted} wrong values accepted.`);
      if (options.json) printJson(result);
      if (result.wrongAccepted > 0) {
        note(`ferry bench ocr: ${result.wrongAccepted} number images were read as a wrong value and accepted`);
        process.exitCode = 1;
      }
    });
}

/** Registrars of the `bench` subcommands, one per benchmark. */
const BENCHMARKS: ReadonlyArray<(bench: Command) => void> = [
  registerOcrBench, registerThroughputBench, registerLatencyBench, registerSoakBench, registerOverheadBench, registerBatchCheckBench,
];

/** Adds the `bench` command group and its benchmarks to the program. */
export function registerBench(program: Command): void {
  const bench = program.command('bench').description('benchmarks: print figures (see bench/)');
  for (const register of BENCHMARKS) register(bench);
}
