import { describe, expect, it } from 'vitest';
import { NO_HOLIDAYS, type HolidayCalendar } from './holiday-calendar.ts';
import { openingAt, type OpeningHours } from './opening-hours.ts';

const MEDICAL: OpeningHours = { days: 'workdays', open: '08:00', close: '22:00' };
/** 2026-10-01 (a Thursday) is 国庆节; Sunday 2026-10-11 is a 调休 workday. */
const CALENDAR: HolidayCalendar = { holidays: new Set(['2026-10-01', '2026-10-02']), workdays: new Set(['2026-10-11']) };
const at = (local: string) => new Date(`${local}+08:00`);

describe('opening hours', () => {
  it('are open on a workday between opening and closing, in the system\'s time zone', () => {
    expect(openingAt(MEDICAL, NO_HOLIDAYS, at('2026-09-29T08:00:00'))).toEqual({ open: true });
    expect(openingAt(MEDICAL, NO_HOLIDAYS, at('2026-09-29T21:59:59'))).toEqual({ open: true });
  });

  it('say when it opens next: the same morning, or the next workday after closing', () => {
    expect(openingAt(MEDICAL, NO_HOLIDAYS, at('2026-09-29T07:30:00'))).toEqual({ open: false, opensAt: at('2026-09-29T08:00:00') });
    expect(openingAt(MEDICAL, NO_HOLIDAYS, at('2026-09-29T22:00:00'))).toEqual({ open: false, opensAt: at('2026-09-30T08:00:00') });
    expect(openingAt(MEDICAL, NO_HOLIDAYS, at('2026-10-02T23:00:00'))).toEqual({ open: false, opensAt: at('2026-10-05T08:00:00') });
  });

  it('follow the holiday calendar: closed on a public holiday, open on a 调休 Sunday', () => {
    expect(openingAt(MEDICAL, CALENDAR, at('2026-10-01T10:00:00'))).toEqual({ open: false, opensAt: at('2026-10-05T08:00:00') });
    expect(openingAt(MEDICAL, CALENDAR, at('2026-10-11T10:00:00'))).toEqual({ open: true });
    expect(openingAt(MEDICAL, CALENDAR, at('2026-10-10T10:00:00'))).toEqual({ open: false, opensAt: at('2026-10-11T08:00:00') });
  });

  it('take named weekdays and every day', () => {
    expect(openingAt({ days: [6, 7], open: '09:00', close: '12:00' }, NO_HOLIDAYS, at('2026-10-01T10:00:00'))).toEqual({ open: false, opensAt: at('2026-10-03T09:00:00') });
    expect(openingAt({ days: 'every-day', open: '00:00', close: '23:59' }, CALENDAR, at('2026-10-01T10:00:00'))).toEqual({ open: true });
  });
});
