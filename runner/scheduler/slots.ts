/**
 * Cron arithmetic for recipe schedules: the latest slot at or before a moment, the next
 * slot, and a slot's day in the schedule's time zone (the unit of a sync's watermark).
 */
import cronParser from 'cron-parser';
import { dayOf } from '../run/stats.ts';

/** When a schedule fires: a cron expression and its time zone. */
export interface ScheduleTiming {
  cron: string;
  /** IANA time zone. @defaultValue 'Asia/Shanghai' */
  timezone?: string;
}

/** The time zone schedules fire in unless a recipe names its own. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export function timezoneOf(timing: ScheduleTiming): string {
  return timing.timezone ?? DEFAULT_TIMEZONE;
}

function expression(timing: ScheduleTiming, at: Date) {
  return cronParser.parseExpression(timing.cron, { currentDate: at, tz: timezoneOf(timing) });
}

/** The latest slot at or before `at` (cron-parser's `prev` is strictly before, hence the millisecond). */
export function latestSlot(timing: ScheduleTiming, at: Date): Date {
  return expression(timing, new Date(at.getTime() + 1)).prev().toDate();
}

/** The first slot after `at`. */
export function nextSlot(timing: ScheduleTiming, at: Date): Date {
  return expression(timing, at).next().toDate();
}

/** The day (`YYYY-MM-DD`) a slot falls on in the schedule's time zone. */
export function slotDay(timing: ScheduleTiming, slot: Date): string {
  return dayOf(slot, timezoneOf(timing));
}

/** `day` (`YYYY-MM-DD`) moved back by `days` calendar days. */
export function daysBefore(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date - days)).toISOString().slice(0, 10);
}
