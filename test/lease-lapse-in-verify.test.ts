/**
 * A worker frozen past its lease right after it entered a record, before `verify`: when it
 * wakes, its lease keeper closes the run's browser, so that verify cannot run. That says nothing
 * about the receipt: the attempt fails as a lost lease and the next one verifies the entry, and
 * the record is DONE, entered once, not sent to review.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({
  workers: 0,
  env: { FERRY_LOCK_MS: '8000' },
  fixtures: { applicants: 20, faults: { captcha: false } },
});

const isStopped = (pid: number) => /^\d+ \(.*\) T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe('when a worker is frozen past its lease between entering a record and verifying it', () => {
  it('verifies it on the next attempt: DONE, entered once, not sent to review', async () => {
    const [applicant] = enterableCases(ferry().fixtures.applicants);
    const worker = spawnWorker({ ...ferry().env, FERRY_FAULT_POINT: 'stop-before-verify' });
    try {
      const jobId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
      await waitFor('the worker to freeze before verifying', () => worker.pid !== undefined && isStopped(worker.pid), 180_000);
      const entered = await ferry().runtime.ledger.get(RECIPE, applicant.caseNo);
      expect(entered).toMatchObject({ state: 'DONE', created: '1', verified: '0' });
      await waitFor('its lease to end', () => Date.now() > Number(entered?.leaseUntil));
      worker.kill('SIGCONT');

      const outcome = await ferry().outcome(jobId);
      expect(outcome).toMatchObject({ state: 'DONE', receipt: entered?.receipt });
      expect(await ferry().runtime.ledger.get(RECIPE, applicant.caseNo)).toMatchObject({ state: 'DONE', created: '1', verified: '1' });
      await expectEnteredOnce(ferry(), [applicant], [outcome]);
      const log = readFileSync(join(ferry().runtime.config.dataDir, 'logs', 'ferry.log'), 'utf8');
      expect(log).toContain('lease may have lapsed');
    } finally {
      worker.kill('SIGCONT');
      expect(await stopWorker(worker)).toBe(0);
    }
  }, 240_000);
});
