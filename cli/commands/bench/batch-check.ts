/** `ferry bench batch-check [--rows N] [--json]`: how long a batch file of N rows takes to read and check. */
import type { Command } from 'commander';
import { runBatchCheckBench } from '../../../bench/batch-check.ts';
import { printJson, say } from '../../output.ts';
import { positiveInt } from '../../options.ts';

export function registerBatchCheckBench(bench: Command): void {
  bench
    .command('batch-check')
    .description('reading and checking a batch file of N rows (UTF-8 CSV, GBK CSV, .xlsx) before anything is queued')
    .option('--rows <n>', 'rows in the file', '10000')
    .option('--json', 'last stdout line is the result as JSON')
    .action(async (options) => {
      const figures = await runBatchCheckBench({ rows: positiveInt(options.rows, '--rows') });
      for (const f of figures) say(options.json, `${f.format}: ${f.megabytes} MB checked in ${f.seconds} s (${f.rowsPerSecond} rows/s): ${f.good} good, ${f.bad} bad`);
      if (options.json) printJson({ rows: positiveInt(options.rows, '--rows'), figures });
    });
}
