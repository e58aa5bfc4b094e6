/**
 * The overview's figures: per recipe the success rate today, this week and this month,
 * the last 30 days as a series, records moved and hours saved, and the four-colour status
 * (green ≥ 98 %, yellow ≥ 90 %, orange ≥ 75 % or when a canary found one of its systems'
 * screens changed, red below or when one of its systems is unreachable); totals across
 * recipes; queue depth, live workers and the next schedules.
 */
import { dayOf, OUTCOME_COUNTERS, type OutcomeCounter } from '../runner/run/stats.ts';
import type { Circuit } from '../runner/guard/bot-circuits.ts';
import { colourOf, type Colour } from '../runner/status/matter-colour.ts';
import { readStatus, successRate, type FerryStatus } from '../runner/status/status.ts';
import type { DashboardContext } from './context.ts';
import type { Reach } from './reachability.ts';
import { CanaryStore } from '../runner/canary/canary-store.ts';
import type { SharedTrait } from '../runner/canary/suggest.ts';

export type Period = 'today' | 'week' | 'month';
export const PERIODS: Period[] = ['today', 'week', 'month'];

export interface Figures {
  runs: number;
  /** Runs that ended DONE: entered, or found already present. */
  moved: number;
  entered: number;
  rate: number | null;
  hoursSaved: number;
}

/** A system's last canary check, without the crops (the overview links them). */
export interface Drift {
  checkedAt: string;
  problems: { screen: string; locator: string; found: number; reason?: string; likely?: string; because: SharedTrait[]; crop: boolean }[];
}

export interface RecipeOverview {
  id: string;
  title: string;
  colour: Colour;
  periods: Record<Period, Figures>;
  /** The last 30 days, oldest first. */
  series: { day: string; rate: number | null; runs: number }[];
  /** Each system: reachable, screens drifted, its bot's circuit, and its cap on runs per minute with the runs of the last minute. */
  systems: { bot: string; title: string; reach: Reach; drift: Drift | null; circuit: Circuit; cap: { max: number; lastMinute: number } | null }[];
}

export interface Overview {
  recipes: RecipeOverview[];
  totals: Record<Period, Figures>;
  status: FerryStatus;
}

/** A system's last canary report as the overview shows it; null before its first check. */
async function driftOf(store: CanaryStore, bot: string): Promise<Drift | null> {
  const report = await store.report(bot);
  if (!report) return null;
  return {
    checkedAt: report.checkedAt,
    problems: report.problems.map(({ screen, locator, found, reason, suggestions: [best] }) => ({
      screen, locator, found, reason, likely: best?.locator, because: best?.because ?? [], crop: Boolean(best?.crop),
    })),
  };
}

type Counts = Record<OutcomeCounter, number>;

function figures(days: Counts[], manualMinutes: number): Figures {
  const sum = Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, days.reduce((total, day) => total + day[name], 0)])) as Counts;
  const moved = sum.entered + sum.alreadyPresent;
  return {
    runs: moved + sum.rejected + sum.needsReview + sum.failed, moved, entered: sum.entered,
    rate: successRate(sum), hoursSaved: (sum.entered * manualMinutes) / 60,
  };
}

function addFigures(a: Figures, b: Figures): Figures {
  const runs = a.runs + b.runs;
  const moved = a.moved + b.moved;
  return { runs, moved, entered: a.entered + b.entered, rate: runs ? moved / runs : null, hoursSaved: a.hoursSaved + b.hoursSaved };
}

/** The last 31 days (newest first) and which of them fall in this week (from Monday) and this month. */
function calendar(now = new Date()): { days: string[]; weekDays: number; monthDays: number } {
  const days = Array.from({ length: 31 }, (_, i) => dayOf(new Date(now.getTime() - i * 86_400_000)));
  const weekday = new Date(`${days[0]}T12:00:00Z`).getUTCDay();
  return { days, weekDays: ((weekday + 6) % 7) + 1, monthDays: days.filter((day) => day.slice(0, 7) === days[0].slice(0, 7)).length };
}

export async function loadOverview(ctx: DashboardContext): Promise<Overview> {
  const { days, weekDays, monthDays } = calendar();
  const canaries = new CanaryStore(ctx.runtime.redis, ctx.runtime.keys);
  const recipes = await Promise.all(ctx.runtime.recipes.all().map(async (recipe): Promise<RecipeOverview> => {
    const counts = await Promise.all(days.map((day) => ctx.runtime.stats.day(recipe.id, day)));
    const periods = {
      today: figures(counts.slice(0, 1), recipe.manualMinutes),
      week: figures(counts.slice(0, weekDays), recipe.manualMinutes),
      month: figures(counts.slice(0, monthDays), recipe.manualMinutes),
    };
    const systems = await Promise.all(Object.values(recipe.bots).map(async (bot) => ({
      bot: bot.id, title: bot.title, reach: await ctx.reachability.of(bot.id), drift: await driftOf(canaries, bot.id), circuit: await ctx.runtime.circuits.get(bot.id),
      cap: bot.maxRunsPerMinute ? { max: bot.maxRunsPerMinute, lastMinute: await ctx.runtime.caps.lastMinute(bot.id) } : null,
    })));
    const rate = periods.today.rate ?? periods.week.rate ?? periods.month.rate;
    return {
      id: recipe.id, title: recipe.title, periods, systems,
      // A bot whose circuit is paused or open cannot reach its system: red, as an unreachable one.
      colour: colourOf(rate, systems.every((system) => system.reach !== false && system.circuit.state === 'closed'), systems.some((system) => system.drift?.problems.length)),
      series: days.slice(0, 30).reverse().map((day, i) => {
        const dayCounts = counts[29 - i];
        return { day, rate: successRate(dayCounts), runs: figures([dayCounts], 0).runs };
      }),
    };
  }));
  const totals = Object.fromEntries(PERIODS.map((period) => [
    period, recipes.reduce((sum, recipe) => addFigures(sum, recipe.periods[period]), { runs: 0, moved: 0, entered: 0, rate: null, hoursSaved: 0 } as Figures),
  ])) as Record<Period, Figures>;
  return { recipes, totals, status: await readStatus(ctx.runtime) };
}
