/**
 * Two edges of the exactly-once protocol found on a foreign target: a worker killed between
 * the ledger's DONE and `verify`, and a `write` refused after the target stored the row.
 * What `ferry status` counts must agree with the ledger throughout.
 */
import { once } from 'node:events';
import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { spawnWorker, type FerryProcess } from '../cli/ferry-process.ts';
import { startWorker, type RunningWorker } from '../runner/run/worker.ts';
import { readStatus } from '../runner/status/status.ts';
import { setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({
  workers: 0,
  env: { FERRY_LOCK_MS: '3000' },
  fixtures: { applicants: 200, faults: { captcha: false } },
});

let worker: RunningWorker | undefined;
/** The worker that kills itself at the fault point; killed here if a failing test left it running. */
let killed: FerryProcess | undefined;
afterAll(() => {
  if (killed && killed.exitCode === null && killed.signalCode === null) killed.kill('SIGKILL');
});
const startInProcessWorker = async () => {
  worker ??= await startWorker(ferry().runtime, { ocr: ferry().ocr });
};
afterAll(async () => worker?.close());

/** Today's figures as `ferry status` shows them, and the same figures read from the ledger. */
async function figures() {
  const status = (await readStatus(ferry().runtime)).recipes.find((recipe) => recipe.id === RECIPE)!;
  const done = (await ferry().runtime.ledger.list(RECIPE)).filter((entry) => entry.state === 'DONE');
  return {
    status: { entered: status.today.entered, alreadyPresent: status.today.alreadyPresent },
    ledger: { entered: done.filter((e) => e.created === '1').length, alreadyPresent: done.filter((e) => e.created === '0').length },
  };
}

describe('when a worker is killed after DONE and before verify', () => {
  let cases: ReturnType<typeof enterableCases>;
  beforeAll(() => {
    cases = enterableCases(ferry().fixtures.applicants).slice(0, 4);
  });

  it('leaves the entry DONE but unverified, and the next attempt verifies it without writing again', async () => {
    killed = spawnWorker({ ...ferry().env, FERRY_FAULT_POINT: 'after-done-before-verify' });
    const exited = once(killed, 'exit');
    const jobId = await ferry().trigger(RECIPE, { caseNo: cases[0].caseNo });
    await exited;
    expect(await ferry().runtime.ledger.get(RECIPE, cases[0].caseNo)).toMatchObject({ state: 'DONE', created: '1', verified: '0' });

    await startInProcessWorker();
    const outcome = await ferry().outcome(jobId);
    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    const entry = await ferry().runtime.ledger.get(RECIPE, cases[0].caseNo);
    expect(entry).toMatchObject({ state: 'DONE', receipt: outcome.receipt, verified: '1' });
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect(rows.get(cases[0].idNumber)?.map((row) => row.serialNo)).toEqual([outcome.receipt]);
  }, 180_000);

  it('counts in `ferry status` exactly what the ledger holds, also after a settled record is triggered again', async () => {
    await startInProcessWorker();
    const entered = await ferry().outcome(await ferry().trigger(RECIPE, { caseNo: cases[1].caseNo }));
    expect(entered).toMatchObject({ state: 'DONE', created: true });

    await setFaults(ferry().fixtures.urls.medicalInsurance, { errorAfterCommitRate: 1 });
    const failing = await ferry().trigger(RECIPE, { caseNo: cases[2].caseNo });
    await waitFor('the save to fail after commit', async () => (await ferry().runtime.ledger.get(RECIPE, cases[2].caseNo))?.state === 'UNKNOWN');
    await setFaults(ferry().fixtures.urls.medicalInsurance, { errorAfterCommitRate: 0 });
    expect(await ferry().outcome(failing)).toMatchObject({ state: 'DONE', created: false });

    // Triggered again once its job is gone: the settled record is found in the ledger, not counted again.
    const again = async (caseNo: string) => {
      const job = await Job.fromId(ferry().runtime.queue, `${RECIPE}__${caseNo}`);
      await job?.remove();
      return ferry().outcome(await ferry().trigger(RECIPE, { caseNo }));
    };
    expect(await again(cases[0].caseNo)).toMatchObject({ state: 'DONE', created: false });
    expect(await again(cases[1].caseNo)).toMatchObject({ state: 'DONE', created: false });

    const { status, ledger } = await figures();
    expect(ledger).toEqual({ entered: 2, alreadyPresent: 1 });
    expect(status).toEqual(ledger);
  }, 180_000);
});

describe('when the target stores the row and then refuses it', () => {
  it('checks with find and ends DONE with the stored receipt, not REJECTED', async () => {
    await startInProcessWorker();
    const applicant = enterableCases(ferry().fixtures.applicants)[10];
    await setFaults(ferry().fixtures.urls.medicalInsurance, { refusalAfterCommitRate: 1 });
    let outcome;
    try {
      outcome = await ferry().outcome(await ferry().trigger(RECIPE, { caseNo: applicant.caseNo }));
    } finally {
      await setFaults(ferry().fixtures.urls.medicalInsurance, { refusalAfterCommitRate: 0 });
    }
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect(rows.get(applicant.idNumber)).toHaveLength(1);
    expect(outcome).toEqual({ state: 'DONE', receipt: rows.get(applicant.idNumber)![0].serialNo, created: false });
    expect(await ferry().runtime.ledger.get(RECIPE, applicant.caseNo)).toMatchObject({ state: 'DONE', created: '0' });
  }, 120_000);
});
