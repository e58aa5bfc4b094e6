/**
 * `ferry scheduler`: fires each recipe's schedule as sync jobs until SIGTERM/SIGINT.
 * Several may run at once; each slot is still enqueued once.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { openRuntime, SERVICE_REDIS_PATIENCE_MS } from '../../runner/runtime.ts';
import { startScheduler } from '../../runner/scheduler/scheduler.ts';
import { note } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';
import { parseLookbackDays } from './sync.ts';

export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description("fire each recipe's schedule as sync jobs; a slot missed while down runs once at start")
    .option('--lookback-days <n>', "how far back a recipe's first sync ever lists", '1')
    .action(async (options) => {
      const lookbackDays = parseLookbackDays(options.lookbackDays);
      await runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
        const runtime = await openRuntime(config(), { role: 'scheduler', onRedisNotice: note, redisPatienceMs: SERVICE_REDIS_PATIENCE_MS });
        lifetime.defer(() => runtime.close());
        const scheduler = await startScheduler(runtime, { lookbackDays });
        lifetime.defer(() => scheduler.close());
        note('scheduler started; Ctrl-C or SIGTERM stops it');
        await lifetime.untilStopped();
      });
    });
}
