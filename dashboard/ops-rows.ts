/**
 * The ops list: runs that need attention (failed, needs review, rejected), newest first,
 * with the system each failed in and a reason group, and the filters over them
 * (recipe, system, reason, day). Runs whose retry is queued are left out.
 */
import { ATTENTION_STATES, type RunEvent, type RunRecord } from '../runner/run/history.ts';
import { dayOf } from '../runner/run/stats.ts';
import type { DashboardContext } from './context.ts';
import { failingSystem, recipeTitle, retryPending } from './run-view.ts';

export interface AttentionRow {
  id: string;
  recipe: string;
  recipeTitle: string;
  key: string;
  state: RunRecord['state'];
  reason: string;
  reasonGroup: string;
  /** The bot id of the system it failed in; null when it failed before any step (log-in, session). */
  system: string | null;
  day: string;
  updatedAt: number;
}

export interface OpsFilter {
  recipe?: string;
  system?: string;
  reason?: string;
  day?: string;
}

const MAX_ROWS = 500;

/** A reason with its run-specific parts (long numbers) blanked, so alike failures group together. */
export function reasonGroup(reason: string): string {
  return reason.replace(/\d{5,}/g, '…').slice(0, 120);
}

export async function attentionRows(ctx: DashboardContext): Promise<AttentionRow[]> {
  const runs = (await ctx.runtime.history.list('attention', MAX_ROWS)).filter((run) => ATTENTION_STATES.includes(run.state as never));
  const recipes = new Map(ctx.runtime.recipes.all().map((recipe) => [recipe.id, recipe]));
  const found = await Promise.all(runs.map((run) => ctx.runtime.history.get(run.id)));
  const rows: AttentionRow[] = [];
  for (const [i, run] of runs.entries()) {
    const events = found[i]?.events ?? [];
    if (retryPending(events)) continue;
    const reason = run.reason ?? '';
    rows.push({
      id: run.id, recipe: run.recipe, recipeTitle: recipeTitle(ctx, run.recipe), key: run.keyId, state: run.state, reason,
      reasonGroup: reasonGroup(reason), system: failingSystem(recipes.get(run.recipe), reason, events),
      day: dayOf(new Date(run.updatedAt)), updatedAt: run.updatedAt,
    });
  }
  return rows;
}

/** The rows matching every filter given; `reason` matches a group exactly or any part of the reason. */
export function applyFilter(rows: AttentionRow[], filter: OpsFilter): AttentionRow[] {
  return rows.filter((row) =>
    (!filter.recipe || row.recipe === filter.recipe) &&
    (!filter.system || row.system === filter.system) &&
    (!filter.day || row.day === filter.day) &&
    (!filter.reason || row.reasonGroup === filter.reason || row.reason.includes(filter.reason)));
}

/** The most common reason groups, with their counts. */
export function commonReasons(rows: AttentionRow[], limit = 6): { group: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.reasonGroup) counts.set(row.reasonGroup, (counts.get(row.reasonGroup) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([group, count]) => ({ group, count }));
}
