/**
 * The holiday calendar opening hours follow: public holidays (a weekday closed) and 调休
 * make-up workdays (a weekend day open), as the State Council publishes them each year. Admins
 * replace the file (`FERRY_HOLIDAYS_FILE`) when the next year's calendar is out; without one,
 * workdays are Monday to Friday.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** The file's shape: `{"holidays":["2026-10-01",…],"workdays":["2026-09-27",…]}`. */
export const HolidayFile = z.object({
  holidays: z.array(Day).default([]),
  workdays: z.array(Day).default([]),
}).strict();

/** The days that differ from Monday-to-Friday. */
export interface HolidayCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/** No holidays and no make-up days: Monday to Friday. */
export const NO_HOLIDAYS: HolidayCalendar = { holidays: new Set(), workdays: new Set() };

/** Reads a holiday file; a ConfigError names the file and what is wrong with it. */
export function loadHolidayCalendar(file: string): HolidayCalendar {
  let parsed;
  try {
    parsed = HolidayFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(`The holiday calendar ${file} cannot be read: ${(error as Error).message}`);
  }
  if (!parsed.success) throw new ConfigError(`The holiday calendar ${file} is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const both = parsed.data.holidays.find((day) => parsed.data.workdays.includes(day));
  if (both) throw new ConfigError(`The holiday calendar ${file} lists ${both} as both a holiday and a workday.`);
  return { holidays: new Set(parsed.data.holidays), workdays: new Set(parsed.data.workdays) };
}
