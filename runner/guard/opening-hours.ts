/**
 * A system's opening hours as a bot declares them (医保 on workdays 08:00–22:00, Asia/Shanghai),
 * and whether it is open at a moment or when it opens next. Workdays follow the holiday calendar
 * (`holiday-calendar.ts`): a public holiday closes a weekday, a 调休 make-up workday opens a weekend day.
 */
import { z } from 'zod';
import { dayOf } from '../run/stats.ts';
import { latestSlot, nextSlot } from '../scheduler/slots.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');

/** A system's opening hours, as a bot declares them. */
export const OpeningHours = z.object({
  /** `workdays` (Monday to Friday, as the holiday calendar moves them), `every-day`, or ISO weekdays (1 = Monday … 7 = Sunday). */
  days: z.union([z.literal('workdays'), z.literal('every-day'), z.array(z.number().int().min(1).max(7)).min(1)]),
  /** When it opens, `HH:MM`, in `timezone`. */
  open: TimeOfDay,
  /** When it closes, `HH:MM`, later the same day. */
  close: TimeOfDay,
  /** IANA time zone. @defaultValue 'Asia/Shanghai' */
  timezone: z.string().default('Asia/Shanghai'),
}).strict().refine((hours) => hours.open < hours.close, { message: 'close must be later in the day than open' });
export type OpeningHours = z.input<typeof OpeningHours>;

/** Whether the system is open at a moment, and if not, when it opens next. */
export type Opening = { open: true } | { open: false; opensAt: Date };

/** How far ahead an opening is looked for: a system closed longer is a configuration mistake. */
const LOOK_AHEAD_DAYS = 31;

const cronOf = (time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return `${minute} ${hour} * * *`;
};

/** ISO weekday (1 = Monday) of a `YYYY-MM-DD` day. */
function weekdayOf(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay() || 7;
}

/** True when `day` (`YYYY-MM-DD`, in the hours' zone) is a day the system opens. */
export function opensOn(hours: OpeningHours, calendar: HolidayCalendar, day: string): boolean {
  const { days } = OpeningHours.parse(hours);
  if (days === 'every-day') return true;
  if (Array.isArray(days)) return days.includes(weekdayOf(day));
  if (calendar.holidays.has(day)) return false;
  return calendar.workdays.has(day) || weekdayOf(day) <= 5;
}

/** Whether the system is open at `now`, or when it opens next. */
export function openingAt(declared: OpeningHours, calendar: HolidayCalendar, now: Date): Opening {
  const hours = OpeningHours.parse(declared);
  const opening = { cron: cronOf(hours.open), timezone: hours.timezone };
  const closing = { cron: cronOf(hours.close), timezone: hours.timezone };
  const lastOpened = latestSlot(opening, now);
  // Open: the day's opening time has passed, its closing time has not, and the day is an open one.
  if (lastOpened > latestSlot(closing, now) && opensOn(hours, calendar, dayOf(lastOpened, hours.timezone))) return { open: true };
  let next = nextSlot(opening, now);
  for (let day = 0; day < LOOK_AHEAD_DAYS && !opensOn(hours, calendar, dayOf(next, hours.timezone)); day++) next = nextSlot(opening, next);
  return { open: false, opensAt: next };
}
