/** `ferry status [--json]`: queues, workers, success rate per recipe, schedules with their next fire time and last sync. */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { formatStatus, readStatus } from '../../runner/status/status.ts';
import { note, printJson } from '../output.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('queues, workers, success rate per recipe, and schedules with their next fire time and last sync')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        const status = await readStatus(runtime);
        if (options.json) printJson(status);
        else process.stdout.write(`${formatStatus(status).join('\n')}\n`);
      } finally {
        await runtime.close();
      }
    });
}
