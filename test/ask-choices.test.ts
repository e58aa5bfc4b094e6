/**
 * Asking a person where a person is better than a rejection: an applicant with two valid
 * residence permits (the clerk chooses one), a street the code list renamed (the nearest
 * entries, or refuse), and attended confirmation with a mobile corrected in place. Each
 * answer is checked, and the row in the target carries what the person settled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { enterableCases, outsiderCases } from '../fixtures/cases.ts';
import type { Applicant } from '../fixtures/data/applicants.ts';
import { STREETS } from '../fixtures/data/district.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { secondPermitOf } from '../fixtures/residence/permits.ts';
import { auditLogOf } from '../runner/access/audit.ts';
import { taskDeskOf, type Answerer } from '../runner/ask/task-desk.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { triggeredBy } from '../runner/run/types.ts';
import { setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const RENAMED = { from: '湖滨街道', to: '湖滨新区街道' };
const ferry = useFerry({ fixtures: { applicants: 200, faults: { captcha: false } } });
const clerk: Answerer = { name: 'clerk', identity: triggeredBy.dashboard('clerk'), ops: false };

const onRenamedStreet = (a: Applicant) => a.currentAddress.includes(RENAMED.from);
let twoPermits: Applicant;
beforeAll(async () => {
  twoPermits = outsiderCases(ferry().fixtures.applicants).find((a) => !onRenamedStreet(a))!;
  await setFaults(ferry().fixtures.urls.residence, { secondPermits: [twoPermits.idNumber] });
  await setFaults(ferry().fixtures.urls.medicalInsurance, { renamedCodes: { [RENAMED.from]: RENAMED.to } });
});

const desk = () => taskDeskOf(ferry().runtime, auditLogOf(ferry().runtime));
const rowsOf = async (a: Applicant) => (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(a.idNumber) ?? [];

/** Triggers the enrollment of a case as the clerk at the counter does; resolves once it waits for an answer. */
async function waitingRun(a: Applicant, question: string, options: { confirm?: boolean } = {}) {
  const { runtime } = ferry();
  const job = await triggerRun(runtime.queue, runtime.recipes.get(RECIPE), { caseNo: a.caseNo }, {
    trigger: { via: 'staff', by: clerk.identity }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts, ...options,
  });
  const taskId = `${job.id}~${question}`;
  expect(await ferry().outcome(job.id!)).toMatchObject({ state: 'WAITING_FOR_PERSON', task: taskId });
  const task = (await runtime.tasks.get(taskId))!;
  return { runId: job.id!, taskId, task, details: await runtime.tasks.details(task) };
}

describe('an applicant with two valid residence permits', () => {
  it('asks the clerk to choose one, refuses a value not offered, and enters the one chosen', async () => {
    const second = secondPermitOf({ ...twoPermits, ...twoPermits.permit! });
    const { runId, taskId, task, details } = await waitingRun(twoPermits, 'permit');
    expect(task).toMatchObject({ kind: 'choose', assignee: clerk.identity });
    expect(details.choices?.map((choice) => choice.value)).toEqual([twoPermits.permit!.permitNo, second.permitNo]);
    expect(details.choices?.[1].label).toContain(second.validUntil);
    await expect(desk().answer(taskId, 'JZ202612345678', clerk)).rejects.toThrow(/choose one of the values offered/);
    expect(await desk().answer(taskId, second.permitNo, clerk)).toBe('resumed');
    const done = await ferry().outcome(runId);
    expect(done).toMatchObject({ state: 'DONE', created: true });
    expect((await rowsOf(twoPermits)).map((row) => [row.serialNo, row.jzzh])).toEqual([[done.receipt, second.permitNo]]);
  });
});

describe('a street the code list has renamed', () => {
  const onIt = () => enterableCases(ferry().fixtures.applicants).filter(onRenamedStreet);

  it('offers the nearest entries of the code list and enters the street chosen, under its code', async () => {
    const applicant = onIt()[0];
    const { runId, taskId, details } = await waitingRun(applicant, 'street');
    expect(details.detail).toContain(RENAMED.from);
    expect(details.choices?.map((choice) => choice.value)).toEqual([RENAMED.to, 'refuse']);
    expect(await desk().answer(taskId, RENAMED.to, clerk)).toBe('resumed');
    expect(await ferry().outcome(runId)).toMatchObject({ state: 'DONE', created: true });
    expect((await rowsOf(applicant)).map((row) => row.jd)).toEqual([STREETS.find((street) => street.name === RENAMED.from)!.code]);
  });

  it('refuses the record when the person finds none of them right, and enters nothing', async () => {
    const applicant = onIt()[1];
    const { runId, taskId } = await waitingRun(applicant, 'street');
    expect(await desk().answer(taskId, 'refuse', clerk)).toBe('resumed');
    expect(await ferry().outcome(runId)).toMatchObject({ state: 'REJECTED', reason: expect.stringContaining('已由人工退回') });
    expect(await rowsOf(applicant)).toEqual([]);
  });
});

describe('attended confirmation with a correction', () => {
  it('takes a mobile corrected in place, refuses a bad or uncorrectable one, and enters the corrected record', async () => {
    const applicant = enterableCases(ferry().fixtures.applicants).filter((a) => !onRenamedStreet(a))[0];
    const corrected = applicant.phone === '13912345678' ? '13912345679' : '13912345678';
    const { runId, taskId, details } = await waitingRun(applicant, 'confirm-record', { confirm: true });
    expect(details.rows).toContainEqual({ label: '手机号码', target: applicant.phone, field: 'phone' });
    expect(details.rows).toContainEqual({ label: '身份证号', target: applicant.idNumber });
    await expect(desk().answer(taskId, JSON.stringify({ phone: '1391234' }), clerk)).rejects.toThrow(/手机/);
    await expect(desk().answer(taskId, JSON.stringify({ idNumber: applicant.idNumber }), clerk)).rejects.toThrow(/idNumber/);
    expect(await desk().answer(taskId, JSON.stringify({ phone: corrected }), clerk)).toBe('resumed');
    expect(await ferry().outcome(runId)).toMatchObject({ state: 'DONE', created: true });
    expect((await rowsOf(applicant)).map((row) => row.lxdh)).toEqual([corrected]);
    const audited = (await auditLogOf(ferry().runtime).list()).filter((line) => line.action === 'answer' && line.target === taskId);
    expect(JSON.stringify(audited)).not.toContain(corrected);
  });
});
