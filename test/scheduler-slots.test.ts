/** Cron arithmetic of schedules: slots in the recipe's time zone, their days, sync job ids. */
import { describe, expect, it } from 'vitest';
import { daysBefore, latestSlot, nextSlot, slotDay } from '../runner/scheduler/slots.ts';
import { syncJobId } from '../runner/scheduler/sync-jobs.ts';

const NIGHTLY = { cron: '0 2 * * *' };
/** 02:00 in Shanghai on 2026-03-02 is 18:00 UTC the day before. */
const SLOT = new Date('2026-03-01T18:00:00.000Z');

describe('schedule slots', () => {
  it('fire in Asia/Shanghai unless the recipe names another time zone', () => {
    expect(latestSlot(NIGHTLY, new Date('2026-03-02T03:00:00Z'))).toEqual(SLOT);
    expect(latestSlot({ cron: '0 2 * * *', timezone: 'UTC' }, new Date('2026-03-02T03:00:00Z'))).toEqual(new Date('2026-03-02T02:00:00Z'));
  });

  it('count a moment exactly on a slot as that slot, and the next slot as strictly later', () => {
    expect(latestSlot(NIGHTLY, SLOT)).toEqual(SLOT);
    expect(latestSlot(NIGHTLY, new Date(SLOT.getTime() - 1))).toEqual(new Date('2026-02-28T18:00:00.000Z'));
    expect(nextSlot(NIGHTLY, SLOT)).toEqual(new Date('2026-03-02T18:00:00.000Z'));
  });

  it("fall on the day of the schedule's time zone, and days count back across months", () => {
    expect(slotDay(NIGHTLY, SLOT)).toBe('2026-03-02');
    expect(daysBefore('2026-03-02', 2)).toBe('2026-02-28');
  });

  it('name sync jobs by recipe and time, without the ":" BullMQ forbids', () => {
    expect(syncJobId('flexible-worker-enrollment', SLOT)).toBe('sync__flexible-worker-enrollment__20260301T180000Z');
  });
});
