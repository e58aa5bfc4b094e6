/**
 * Opening hours: a run for a system that is closed waits in the queue, spending no attempt and
 * claiming nothing, its history saying which system opens when, and goes in once the system
 * opens; a schedule that would list a system while it is closed is refused at start-up. The
 * clock is the real one: the hours are set (in a time zone chosen for it) to open a minute on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import acceptance from '../bots/acceptance/index.ts';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { readStatus } from '../runner/status/status.ts';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({ fixtures: { applicants: 40, faults: { captcha: false } } });

afterEach(() => {
  delete medicalInsurance.hours;
  delete acceptance.hours;
});

/** Hours that open at the next whole minute: in a zone (Etc/GMT±N) where that minute is mid-day, so the day does not turn. */
function opensNextMinute(): { hours: NonNullable<typeof medicalInsurance.hours>; opensAt: Date } {
  const opensAt = new Date(Math.ceil((Date.now() + 1000) / 60_000) * 60_000);
  const shift = 12 - opensAt.getUTCHours();
  const local = new Date(opensAt.getTime() + shift * 3_600_000);
  const time = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  // Etc/GMT-N is N hours east of UTC (the sign is POSIX's).
  return { hours: { days: 'every-day', open: time, close: '23:00', timezone: `Etc/GMT${shift > 0 ? '-' : '+'}${Math.abs(shift)}` }, opensAt };
}

describe('a run for a closed system', () => {
  it('waits without an attempt or a claim, says which system opens when, and goes in once it opens', async () => {
    const { runtime } = ferry();
    const applicant = enterableCases(ferry().fixtures.applicants)[0];
    const { hours, opensAt } = opensNextMinute();
    medicalInsurance.hours = hours;
    const runId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
    const history = runtime.history;
    await waitFor('the run to wait for opening hours', async () => Boolean((await history.get(runId))?.events.some((event) => event.kind === 'closed')));
    const found = await history.get(runId);
    expect(found?.run.state).toBe('QUEUED');
    expect(found?.events.at(-1)?.detail).toBe(`${medicalInsurance.title} · ${opensAt.toISOString()}`);
    expect(await runtime.queue.getJobState(runId)).toBe('delayed');
    expect(await runtime.ledger.get(RECIPE, applicant.caseNo)).toBeNull();
    expect((await readStatus(runtime)).heldSystems).toEqual([{ bot: 'medical-insurance', title: medicalInsurance.title, state: 'closed', detail: opensAt.toISOString() }]);

    const outcome = await ferry().outcome(runId);
    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    const rows = (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber) ?? [];
    expect(rows.map((row) => row.serialNo)).toEqual([outcome.receipt]);
    expect((await history.get(runId))?.events.filter((event) => event.kind === 'attempt').map((event) => event.attempt)).toEqual([1]);
    expect(Date.now()).toBeGreaterThanOrEqual(opensAt.getTime());
  }, 240_000);
});

describe('a schedule', () => {
  it('that would list a system while it is closed is refused at start-up, naming it', async () => {
    acceptance.hours = { days: 'every-day', open: '08:00', close: '22:00' };
    await expect(startScheduler(ferry().runtime)).rejects.toMatchObject({
      name: 'ConfigError', message: expect.stringContaining(`recipe ${RECIPE}: its schedule "0 2 * * *" fires at`),
    });
    delete acceptance.hours;
    medicalInsurance.hours = { days: 'every-day', open: '08:00', close: '22:00' };
    const scheduler = await startScheduler(ferry().runtime);
    await scheduler.close();
  });
});
