/**
 * `ferry retry <run> [--wait] [--note TEXT]`: ops run a FAILED, REJECTED or NEEDS_REVIEW
 * record again once its cause is fixed, as the dashboard's retry does: audited as the OS
 * user, and exactly once (a record that may be in the target is looked for before any write).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditLogOf } from '../../runner/access/audit.ts';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { runOutcomes } from '../../runner/run/await-outcome.ts';
import { opsActionsOf } from '../../runner/run/ops-actions.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { note, printJson } from '../output.ts';

export function registerRetry(program: Command): void {
  program
    .command('retry <run>')
    .description('run a FAILED, REJECTED or NEEDS_REVIEW run again once its cause is fixed (as the dashboard\'s retry)')
    .option('--note <text>', 'why, for the audit log', '')
    .option('--wait', 'wait and print the outcome as JSON')
    .action(async (runId: string, options) => {
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        const audit = auditLogOf(runtime);
        const osUser = userInfo().username;
        const actor = { name: `cli:${osUser}`, identity: triggeredBy.cli(osUser) };
        try {
          await opsActionsOf(runtime, audit).retry(runId, actor, options.note);
        } catch (error) {
          if ((error as Error).name === 'OpsActionError') throw new InputError((error as Error).message);
          throw error;
        }
        if (!options.wait) return printJson({ run: runId, retried: true });
        const outcomes = runOutcomes(runtime.queue, runtime.ledger);
        try {
          printJson({ run: runId, ...(await outcomes.wait(runId)) });
        } finally {
          await outcomes.close();
        }
      } finally {
        await runtime.close();
      }
    });
}
