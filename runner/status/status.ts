/**
 * Folder `runner/status/`: what Ferry reports about itself: `ferry status`, Prometheus metrics
 * and the workers' heartbeats.
 *
 * Ferry's state at a glance: queue depth, live workers, per recipe the ledger states,
 * today's outcomes and the success rate, each schedule's next fire time and last sync, and
 * the systems that may not take work now (a paused bot, a circuit open, closed hours).
 * Shared by `ferry status` and the dashboard.
 */
import { LEDGER_STATES, type LedgerState } from '../ledger/ledger.ts';
import { dayOf, type OutcomeCounter } from '../run/stats.ts';
import type { Runtime } from '../runtime.ts';
import { describeBroken, type BrokenRecipe } from '../define/registry.ts';
import { nextSlot, timezoneOf } from '../scheduler/slots.ts';
import type { LastSync } from '../scheduler/sync-state.ts';
import { readBeats, type WorkerBeat } from './worker-beat.ts';
import { openingAt } from '../guard/opening-hours.ts';

/** One recipe's figures. */
export interface RecipeStatus {
  id: string;
  title: string;
  ledger: Record<LedgerState, number>;
  today: Record<OutcomeCounter, number>;
  /** Share of today's finished runs that ended DONE; null before any. */
  successRateToday: number | null;
}

/** One recipe's schedule. */
export interface ScheduleStatus {
  recipe: string;
  cron: string;
  timezone: string;
  /** When it fires next (ISO). */
  nextRun: string;
  /** The last slot a scheduler enqueued (ISO); null before any scheduler ran. */
  lastFired: string | null;
  /** The day the next sync lists from; null before the first sync. */
  watermark: string | null;
  lastSync: LastSync | null;
}

/** A system that may not take work now: its bot paused or its circuit open, or outside its opening hours. */
export interface HeldSystem {
  bot: string;
  title: string;
  state: 'paused' | 'open' | 'closed';
  /** Why (paused or open), or when it opens (closed, ISO). */
  detail: string;
}

/** The whole picture. */
export interface FerryStatus {
  queue: Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>;
  workers: number;
  /** Each live worker's last heartbeat: memory, open contexts and pages, session lanes. */
  workerBeats: WorkerBeat[];
  recipes: RecipeStatus[];
  /** Recipe files that failed to import or exported no valid recipe: not loaded, each with its error. */
  brokenRecipes: BrokenRecipe[];
  schedules: ScheduleStatus[];
  /** Systems that may not take work now, and why. */
  heldSystems: HeldSystem[];
}

/** Successes over all finished runs, or null when none finished. */
export function successRate(counts: Record<OutcomeCounter, number>): number | null {
  const done = counts.entered + counts.alreadyPresent;
  const total = done + counts.rejected + counts.needsReview + counts.failed;
  return total === 0 ? null : done / total;
}

export async function readStatus(runtime: Runtime): Promise<FerryStatus> {
  const counts = await runtime.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  const workers = await runtime.queue.getWorkers();
  const today = dayOf(new Date());
  const recipes = await Promise.all(runtime.recipes.all().map(async (recipe) => {
    const todayCounts = await runtime.stats.day(recipe.id, today);
    return {
      id: recipe.id,
      title: recipe.title,
      ledger: await runtime.ledger.counts(recipe.id),
      today: todayCounts,
      successRateToday: successRate(todayCounts),
    };
  }));
  return {
    queue: counts as FerryStatus['queue'], workers: workers.length, workerBeats: await readBeats(runtime.redis, runtime.keys),
    recipes, brokenRecipes: runtime.recipes.broken(), schedules: await readSchedules(runtime), heldSystems: await readHeldSystems(runtime),
  };
}

async function readHeldSystems(runtime: Runtime): Promise<HeldSystem[]> {
  const now = new Date();
  const held = await Promise.all(runtime.recipes.botIds().map(async (id): Promise<HeldSystem | null> => {
    const bot = runtime.recipes.bot(id);
    const circuit = await runtime.circuits.get(id);
    if (circuit.state !== 'closed') return { bot: id, title: bot.title, state: circuit.state, detail: circuit.reason };
    const opening = bot.hours ? openingAt(bot.hours, runtime.holidays, now) : { open: true as const };
    return opening.open ? null : { bot: id, title: bot.title, state: 'closed', detail: opening.opensAt.toISOString() };
  }));
  return held.filter((system) => system !== null);
}

async function readSchedules(runtime: Runtime): Promise<ScheduleStatus[]> {
  const now = new Date();
  return Promise.all(runtime.recipes.all().filter((recipe) => recipe.schedule).map(async (recipe) => ({
    recipe: recipe.id,
    cron: recipe.schedule!.cron,
    timezone: timezoneOf(recipe.schedule!),
    nextRun: nextSlot(recipe.schedule!, now).toISOString(),
    lastFired: (await runtime.syncState.lastFired(recipe.id))?.toISOString() ?? null,
    watermark: await runtime.syncState.watermark(recipe.id),
    lastSync: await runtime.syncState.lastSync(recipe.id),
  })));
}

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

function lastSyncText(schedule: ScheduleStatus): string {
  const last = schedule.lastSync;
  if (!last) return 'no sync yet';
  const when = localTime(last.slot, schedule.timezone);
  if (last.state === 'waiting') return `last sync ${when} WAITING for an answer (listing since ${last.since}): ferry tasks answer ${last.task} --value …`;
  return last.state === 'done'
    ? `last sync ${when}: listed ${last.listed} since ${last.since}, ${last.runs} runs, ${last.skipped} already settled`
    : `last sync ${when} FAILED: ${last.reason}`;
}

/** Human lines for a terminal. */
export function formatStatus(status: FerryStatus): string[] {
  const q = status.queue;
  const lines = [
    `queue: ${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.completed} completed, ${q.failed} failed; workers alive: ${status.workers}`,
  ];
  for (const beat of status.workerBeats) {
    lines.push(`worker ${beat.id}: ${beat.rssMb} MB (heap ${beat.heapMb} MB), ${beat.contexts} browser contexts, ${beat.pages} pages, ${beat.lanes} sessions`);
  }
  for (const recipe of status.recipes) {
    const rate = recipe.successRateToday === null ? '—' : `${(recipe.successRateToday * 100).toFixed(1)}%`;
    const ledger = LEDGER_STATES.filter((state) => recipe.ledger[state] > 0).map((state) => `${state} ${recipe.ledger[state]}`).join(', ') || 'empty';
    const t = recipe.today;
    lines.push(`${recipe.id} (${recipe.title})`);
    lines.push(`  today: ${t.entered} entered, ${t.alreadyPresent} already present, ${t.rejected} rejected, ${t.needsReview} needs review, ${t.failed} failed; success ${rate}`);
    lines.push(`  ledger: ${ledger}`);
  }
  for (const broken of status.brokenRecipes) lines.push(`BROKEN ${describeBroken(broken)}`);
  for (const system of status.heldSystems) {
    lines.push(system.state === 'closed'
      ? `CLOSED ${system.bot} (${system.title}): outside its opening hours; opens ${localTime(system.detail, 'Asia/Shanghai')}`
      : `${system.state === 'paused' ? 'PAUSED' : 'NOT ANSWERING'} ${system.bot} (${system.title}): ${system.detail}${system.state === 'paused' ? `; store its new password with \`ferry secrets set ${system.bot}\`, or resume it on the dashboard's overview` : '; logins are retried after a back-off'}`);
  }
  for (const schedule of status.schedules) {
    lines.push(`schedule ${schedule.recipe}: "${schedule.cron}" (${schedule.timezone}), next ${localTime(schedule.nextRun, schedule.timezone)}; ${lastSyncText(schedule)}`);
  }
  return lines;
}
