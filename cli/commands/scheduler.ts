/**
 * `ferry scheduler`: fires each recipe's schedule as sync jobs until SIGTERM/SIGINT.
 * Several may run at once; each slot is still enqueued once.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { startScheduler } from '../../runner/scheduler/scheduler.ts';
import { note, untilSignal } from '../output.ts';
import { parseLookbackDays } from './sync.ts';

export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description("fire each recipe's schedule as sync jobs; a slot missed while down runs once at start")
    .option('--lookback-days <n>', "how far back a recipe's first sync ever lists", '1')
    .action(async (options) => {
      const lookbackDays = parseLookbackDays(options.lookbackDays);
      const runtime = await openRuntime(config(), { role: 'scheduler', onRedisRetry: note });
      const scheduler = await startScheduler(runtime, { lookbackDays });
      note('scheduler started; Ctrl-C or SIGTERM stops it');
      await untilSignal();
      await scheduler.close();
      await runtime.close();
    });
}
