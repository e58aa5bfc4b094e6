/**
 * Folder `cli/`: the `ferry` command, Ferry's composition root: it wires the runner, the
 * dashboard, the fixture systems and the benchmarks together, so that `runner/` itself depends
 * on none of them.
 *
 * The `ferry` command line. Each command lives in `commands/`; errors a user can fix
 * (configuration, input) print a plain message and exit 2.
 */
import { Command } from 'commander';
import { registerBatch } from './commands/batch.ts';
import { registerAlerts } from './commands/alerts.ts';
import { registerBench } from './commands/bench.ts';
import { registerCanary } from './commands/canary.ts';
import { registerChaos } from './commands/chaos.ts';
import { registerDashboard } from './commands/dashboard.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerFixtures } from './commands/fixtures.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerNew } from './commands/new.ts';
import { registerRetry } from './commands/retry.ts';
import { registerRun } from './commands/run.ts';
import { registerScheduler } from './commands/scheduler.ts';
import { registerSecrets } from './commands/secrets.ts';
import { registerStatus } from './commands/status.ts';
import { registerUsers } from './commands/users.ts';
import { registerSync } from './commands/sync.ts';
import { registerTasks } from './commands/tasks.ts';
import { registerWorker } from './commands/worker.ts';

const program = new Command('ferry')
  .description('Ferry: RPA bots that carry records between legacy department systems, exactly once.')
  .showHelpAfterError();

for (const register of [
  registerDemo, registerFixtures, registerWorker, registerScheduler, registerRun, registerRetry, registerTasks, registerSync, registerStatus,
  registerDashboard, registerUsers, registerDoctor, registerSecrets, registerBench, registerChaos, registerNew, registerInspect, registerCanary, registerAlerts, registerBatch,
]) {
  register(program);
}

const USER_ERRORS = new Set(['ConfigError', 'InputError', 'BatchFileError', 'SecretKeyError', 'ChromiumLaunchError', 'RedisStartError', 'RedisUnreachableError', 'UnsafeRedisError', 'DataDirInUseError']);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { name, message } = error as Error;
  process.stderr.write(`ferry: ${message}\n`);
  process.exitCode = USER_ERRORS.has(name) ? 2 : 1;
}
