/**
 * Ferry's state at a glance: queue depth, live workers, and per recipe the ledger
 * states, today's outcomes and the success rate. Shared by `ferry status` and the dashboard.
 */
import { LEDGER_STATES, type LedgerState } from './ledger.ts';
import { dayOf, type OutcomeCounter } from './run-stats.ts';
import type { Runtime } from './runtime.ts';

/** One recipe's figures. */
export interface RecipeStatus {
  id: string;
  title: string;
  ledger: Record<LedgerState, number>;
  today: Record<OutcomeCounter, number>;
  /** Share of today's finished runs that ended DONE; null before any. */
  successRateToday: number | null;
}

/** The whole picture. */
export interface FerryStatus {
  queue: Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>;
  workers: number;
  recipes: RecipeStatus[];
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
  return { queue: counts as FerryStatus['queue'], workers: workers.length, recipes };
}

/** Human lines for a terminal. */
export function formatStatus(status: FerryStatus): string[] {
  const q = status.queue;
  const lines = [
    `queue: ${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.completed} completed, ${q.failed} failed; workers alive: ${status.workers}`,
  ];
  for (const recipe of status.recipes) {
    const rate = recipe.successRateToday === null ? '—' : `${(recipe.successRateToday * 100).toFixed(1)}%`;
    const ledger = LEDGER_STATES.filter((state) => recipe.ledger[state] > 0).map((state) => `${state} ${recipe.ledger[state]}`).join(', ') || 'empty';
    const t = recipe.today;
    lines.push(`${recipe.id} (${recipe.title})`);
    lines.push(`  today: ${t.entered} entered, ${t.alreadyPresent} already present, ${t.rejected} rejected, ${t.needsReview} needs review, ${t.failed} failed; success ${rate}`);
    lines.push(`  ledger: ${ledger}`);
  }
  return lines;
}
