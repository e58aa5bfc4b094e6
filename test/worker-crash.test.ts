/**
 * A worker process killed with SIGKILL in the middle of a run: its job goes to another
 * worker once the lock lapses, and the record is entered exactly once.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useFerry } from './support/ferry.ts';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({
  workers: 0,
  env: { FERRY_LOCK_MS: '4000' },
  fixtures: { applicants: 200, faults: { captcha: false, medicalInsurance: { latencyMs: 400 } } },
});

async function waitForSubmitting(keyIds: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const keyId of keyIds) {
      if ((await ferry().runtime.ledger.get(RECIPE, keyId))?.state === 'SUBMITTING') return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('when a worker is killed with SIGKILL mid-run', () => {
  it('leaves its job to another worker, and every record has exactly one row', async () => {
    const cases = enterableCases(ferry().fixtures.applicants).slice(0, 6);
    const first = spawnWorker(ferry().env);
    const jobIds = await Promise.all(cases.map((a) => ferry().trigger(RECIPE, { caseNo: a.caseNo })));
    expect(await waitForSubmitting(cases.map((a) => a.caseNo), 90_000)).toBe(true);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const second = spawnWorker(ferry().env);
    try {
      const outcomes = await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
      expect(outcomes.map((o) => o.state)).toEqual(Array(6).fill('DONE'));
      const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
      for (const [i, applicant] of cases.entries()) {
        expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcomes[i].receipt]);
      }
      expect(await ferry().runtime.queue.getActiveCount()).toBe(0);
    } finally {
      expect(await stopWorker(second)).toBe(0);
    }
  }, 240_000);
});
