/**
 * Politeness per system: with 医保 capped at two runs a minute, three enrollments queued at
 * once reach the target two in the first minute and the third only once a minute has passed
 * since the first, measured at the fixture by when each row was saved; no attempt is spent waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { fixtureRecords } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({ concurrency: 3, fixtures: { applicants: 40, faults: { captcha: false } } });

afterEach(() => {
  delete medicalInsurance.maxRunsPerMinute;
});

describe('a system capped at two runs a minute', () => {
  it('takes no more than two runs in any minute, across the runs queued at once', async () => {
    medicalInsurance.maxRunsPerMinute = 2;
    const cases = enterableCases(ferry().fixtures.applicants).slice(0, 3);
    const runs = await Promise.all(cases.map((a) => ferry().trigger(RECIPE, { caseNo: a.caseNo })));
    const outcomes = await Promise.all(runs.map((id) => ferry().outcome(id)));
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['DONE', 'DONE', 'DONE']);
    const { rows } = await fixtureRecords<{ rows: { sfzh: string; createdAt: string }[] }>(ferry().fixtures.urls.medicalInsurance);
    const saved = rows.filter((row) => cases.some((a) => a.idNumber === row.sfzh)).map((row) => Date.parse(row.createdAt)).sort((a, b) => a - b);
    expect(saved).toHaveLength(3);
    // The third start comes a full minute after the first, and each run saves after its start. The first start
    // is no earlier than the first run's pick-up (processedOn), so the last save is a minute after the first pick-up,
    // however long a loaded machine takes between a start and its save.
    const jobs = await Promise.all(runs.map((id) => ferry().runtime.queue.getJob(id)));
    const firstPickUp = Math.min(...jobs.map((job) => job!.processedOn!));
    expect(saved[2] - firstPickUp).toBeGreaterThanOrEqual(60_000);
    expect(jobs.map((job) => job?.attemptsMade)).toEqual([1, 1, 1]);
    expect(await ferry().runtime.caps.lastMinute('medical-insurance')).toBeLessThanOrEqual(2);
  }, 300_000);
});
