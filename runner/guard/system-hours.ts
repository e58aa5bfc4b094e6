/**
 * The gate a run passes before it starts: every system its recipe uses must be open. A run
 * for a closed system goes back to the queue, delayed until the last of them opens, without
 * spending an attempt or taking a session, and its history says which system opens when, for
 * the clerk's page ("医保经办系统 opens at 08:00; your run is queued").
 */
import { DelayedError, type Job } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import type { RunHistory } from '../run/history.ts';
import type { RunJobData } from '../run/types.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';
import { dayOf } from '../run/stats.ts';
import { nextSlot } from '../scheduler/slots.ts';
import { OpeningHours, openingAt, opensOn } from './opening-hours.ts';

/** A system of the recipe that is closed now, and when it opens. */
export interface ClosedSystem {
  bot: string;
  title: string;
  opensAt: Date;
}

/** The recipe's systems that are closed at `now`, the one that opens last first. */
export function closedSystems(recipe: Pick<Recipe, 'bots'>, calendar: HolidayCalendar, now = new Date()): ClosedSystem[] {
  return Object.values(recipe.bots).flatMap((bot) => {
    if (!bot.hours) return [];
    const opening = openingAt(bot.hours, calendar, now);
    return opening.open ? [] : [{ bot: bot.id, title: bot.title, opensAt: opening.opensAt }];
  }).sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime());
}

/** Returns when every system of the recipe is open; otherwise delays the job until they are and throws BullMQ's DelayedError. */
export async function awaitOpenSystems(job: Job<RunJobData>, recipe: Recipe, deps: { holidays: HolidayCalendar; history: RunHistory }, token: string | undefined): Promise<void> {
  const [last] = closedSystems(recipe, deps.holidays);
  if (!last) return;
  await deps.history.waitingForSystem(String(job.id), job.data, 'closed', `${last.title} · ${last.opensAt.toISOString()}`);
  await job.moveToDelayed(last.opensAt.getTime(), token);
  throw new DelayedError();
}

/** How many coming slots of a schedule are checked against the opening hours. */
const SLOTS_CHECKED = 14;

/**
 * Why the recipe's schedule cannot run, or null: a slot that falls, on a day a system opens,
 * outside that system's hours. Its target is left out: the runs a sync fans out wait for it to open.
 */
export function scheduleHoursProblem(recipe: Pick<Recipe, 'id' | 'bots' | 'target' | 'schedule'>, calendar: HolidayCalendar, from = new Date()): string | null {
  if (!recipe.schedule) return null;
  const listed = Object.entries(recipe.bots).filter(([alias, bot]) => alias !== recipe.target && bot.hours);
  let slot = from;
  for (let i = 0; i < SLOTS_CHECKED; i++) {
    slot = nextSlot(recipe.schedule, slot);
    for (const [, bot] of listed) {
      const hours = OpeningHours.parse(bot.hours);
      if (opensOn(hours, calendar, dayOf(slot, hours.timezone)) && !openingAt(hours, calendar, slot).open) {
        return `recipe ${recipe.id}: its schedule "${recipe.schedule.cron}" fires at ${slot.toISOString()}, when ${bot.title} is closed ` +
          `(open ${hours.open}–${hours.close} ${hours.timezone}); move the schedule into its opening hours`;
      }
    }
  }
  return null;
}
