/**
 * A worker stopped with SIGTERM while several runs are half-way: it exits cleanly, leaves
 * every record in a state the next worker settles, and each record ends with one row.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
const ferry = useFerry({
  workers: 0,
  env: { FERRY_CONCURRENCY: '3' },
  fixtures: { applicants: 80, faults: { captcha: false, medicalInsurance: { latencyMs: 300 } } },
});

async function statesOf(caseNos: string[]): Promise<(LedgerState | undefined)[]> {
  return Promise.all(caseNos.map(async (caseNo) => (await ferry().runtime.ledger.get(RECIPE, caseNo))?.state));
}

describe('when a worker gets SIGTERM with runs in flight', () => {
  it('exits 0, and every run ends DONE with exactly one row', async () => {
    const cases = enterableCases(ferry().fixtures.applicants).slice(0, 4);
    const caseNos = cases.map((applicant) => applicant.caseNo);
    const first = spawnWorker(ferry().env);
    const jobIds = await Promise.all(caseNos.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
    await waitFor('three runs in flight', async () => (await statesOf(caseNos)).filter((state) => IN_FLIGHT.includes(state!)).length >= 3);
    expect(await stopWorker(first)).toBe(0);
    expect(first.err()).toContain('stopping');
    for (const state of await statesOf(caseNos)) expect(state === undefined || ['DONE', ...IN_FLIGHT, 'UNKNOWN'].includes(state)).toBe(true);

    const second = spawnWorker(ferry().env);
    try {
      const outcomes = await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
      await expectEnteredOnce(ferry(), cases, outcomes);
    } finally {
      expect(await stopWorker(second)).toBe(0);
    }
  }, 150_000);
});
