/**
 * Folder `runner/scheduler/`: nightly syncs: node-cron slots, sync jobs, the list step, fan-
 * out, watermarks and progress.
 *
 * The scheduler process: node-cron fires each recipe's `schedule` in its time zone and
 * enqueues one sync job per slot, its id from (recipe, slot), so any number of schedulers
 * enqueue each slot once. At start-up, a slot missed while no scheduler ran is enqueued
 * once (only the latest one, not one per missed slot). Every hour it also enqueues a canary
 * pass, when some bot declares canaries; every few seconds it sweeps the questions put to
 * people (escalation, expiry, and runs an answer has not sent back yet); it runs the
 * alert rounds and delivers their messages (`runner/alerts/`); and every half minute it takes
 * the files of the batch drop folder (`runner/batch/drop-folder.ts`).
 */
import { Queue } from 'bullmq';
import cron, { type ScheduledTask } from 'node-cron';
import { CANARY_CRON, CANARY_QUEUE, enqueueCanaries, type CanaryJobData } from '../canary/canary-jobs.ts';
import type { Recipe } from '../define/recipe.ts';
import type { Runtime } from '../runtime.ts';
import { triggeredBy } from '../run/types.ts';
import { latestSlot, timezoneOf } from './slots.ts';
import { enqueueSync } from './sync-jobs.ts';
import { auditLogOf } from '../access/audit.ts';
import { taskDeskOf } from '../ask/task-desk.ts';
import { sweepTasks } from '../ask/task-sweep.ts';
import { scheduleHoursProblem } from '../guard/system-hours.ts';
import { ConfigError } from '../config.ts';
import { startAlerting, type Alerting, type AlertingOptions } from '../alerts/alerting.ts';
import { batchDeskOf } from '../batch/batch-desk.ts';
import { sweepDropFolder } from '../batch/drop-folder.ts';

/** How often the scheduler sweeps the tasks. */
const TASK_SWEEP_MS = 5_000;

/** How often the scheduler looks into the drop folder. */
const DROP_FOLDER_MS = 30_000;

/** Options of {@link startScheduler}. */
export interface SchedulerOptions {
  /** How often the drop folder (`FERRY_BATCH_DROP_DIR`) is looked into. @defaultValue 30000 */
  dropFolderEveryMs?: number;
  /** Days before its slot's day that a recipe's first sync ever lists from. @defaultValue 1 */
  lookbackDays?: number;
  /** How often alert rules are looked at, and how soon a failed delivery is tried again. */
  alerting?: AlertingOptions;
}

/** A running scheduler. */
export interface RunningScheduler {
  /** Enqueues the sync of `recipe` for `slot` (what the cron task does); resolves with its job id. */
  fireSlot(recipe: string, slot: Date): Promise<string>;
  /** Enqueues the canary pass of `slot`'s hour (what the hourly task does); resolves with its job id. */
  fireCanaries(slot: Date): Promise<string>;
  /** The alert rounds and their delivery. */
  alerting: Alerting;
  /** Stops the cron tasks. */
  close(): Promise<void>;
}

/** Schedules every recipe that has a `schedule`, after catching up missed slots. */
export async function startScheduler(runtime: Runtime, options: SchedulerOptions = {}): Promise<RunningScheduler> {
  const scheduled = runtime.recipes.all().filter((recipe) => recipe.schedule);
  for (const recipe of scheduled) {
    if (!cron.validate(recipe.schedule!.cron)) throw new Error(`recipe ${recipe.id}: "${recipe.schedule!.cron}" is not a cron expression`);
    const closed = scheduleHoursProblem(recipe, runtime.holidays);
    if (closed) throw new ConfigError(closed);
  }
  const fireSlot = async (recipeId: string, slot: Date): Promise<string> => {
    const job = await enqueueSync(runtime.syncs, recipeId, slot, {
      trigger: { via: 'schedule', by: triggeredBy.schedule(recipeId) }, lookbackDays: options.lookbackDays,
    });
    await runtime.syncState.advanceLastFired(recipeId, slot);
    runtime.log.info({ recipe: recipeId, slot: slot.toISOString(), sync: job.id }, 'sync enqueued');
    return job.id!;
  };
  const tasks: ScheduledTask[] = scheduled.map((recipe) => {
    const fire = (slot: Date) => fireSlot(recipe.id, slot).catch((error) => runtime.log.warn({ err: error, recipe: recipe.id }, 'could not enqueue a sync'));
    const task = cron.schedule(recipe.schedule!.cron, (context) => fire(context.date), {
      timezone: timezoneOf(recipe.schedule!), name: `ferry-${recipe.id}`, suppressMissedWarning: true,
    });
    // A process that stalled past a slot (node-cron allows one second) fires the latest slot once.
    task.on('execution:missed', () => void fire(latestSlot(recipe.schedule!, new Date())));
    return task;
  });
  const canaryQueue = new Queue<CanaryJobData>(CANARY_QUEUE, { connection: runtime.redis, prefix: runtime.keys.prefix });
  const fireCanaries = async (slot: Date) => (await enqueueCanaries(canaryQueue, slot)).id!;
  const watched = runtime.recipes.botIds().filter((bot) => runtime.recipes.bot(bot).canaries?.length);
  if (watched.length) {
    tasks.push(cron.schedule(CANARY_CRON, (context) => void fireCanaries(context.date).catch((error) => runtime.log.warn({ err: error }, 'could not enqueue the canaries')), {
      name: 'ferry-canaries', suppressMissedWarning: true,
    }));
  }
  const history = runtime.history;
  const sweep = { tasks: runtime.tasks, desk: taskDeskOf(runtime, auditLogOf(runtime)), ledger: runtime.ledger, history, stats: runtime.stats };
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweeper = setInterval(() => {
    sweeping = sweepTasks(sweep).then(
      (done) => (done.escalated || done.expired || done.resumed) && runtime.log.info(done, 'tasks swept'),
      (error) => runtime.log.warn({ err: error }, 'task sweep failed'),
    );
  }, TASK_SWEEP_MS);
  const alerting = await startAlerting(runtime, options.alerting);
  const dropFolder = watchDropFolder(runtime, options.dropFolderEveryMs ?? DROP_FOLDER_MS);
  // Catching up after the tasks started leaves no gap for a slot that passes meanwhile.
  for (const recipe of scheduled) await catchUp(runtime, recipe, fireSlot);
  runtime.log.info({ recipes: scheduled.map((recipe) => recipe.id), canaries: watched }, 'scheduler started');
  return {
    fireSlot,
    fireCanaries,
    alerting,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([sweeping, dropFolder.close()]);
      await alerting.close();
      for (const task of tasks) await task.destroy();
      await canaryQueue.close();
      runtime.log.info('scheduler stopped');
    },
  };
}

/**
 * Enqueues the latest past slot if it is later than the last one fired. A recipe no
 * scheduler has run before only records that slot as its starting point.
 */
/** Looks into the drop folder every `everyMs`, one look at a time; nothing when none is configured. */
function watchDropFolder(runtime: Runtime, everyMs: number): { close(): Promise<void> } {
  const dir = runtime.config.batchDropDir;
  if (!dir) return { close: async () => {} };
  const options = { dir, desk: batchDeskOf(runtime), recipes: runtime.recipes, log: runtime.log, dashboardUrl: runtime.config.dashboardUrl };
  let looking: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    looking ??= sweepDropFolder(options)
      .catch((error) => runtime.log.warn({ err: error }, 'drop folder look failed'))
      .finally(() => { looking = undefined; });
  }, everyMs);
  return {
    close: async () => {
      clearInterval(timer);
      await looking;
    },
  };
}

async function catchUp(runtime: Runtime, recipe: Recipe, fireSlot: RunningScheduler['fireSlot']): Promise<void> {
  const latest = latestSlot(recipe.schedule!, new Date());
  const lastFired = await runtime.syncState.lastFired(recipe.id);
  if (!lastFired) await runtime.syncState.advanceLastFired(recipe.id, latest);
  else if (latest > lastFired) await fireSlot(recipe.id, latest);
}
