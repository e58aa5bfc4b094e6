/**
 * A worker keeps nothing of a run's trace once the run is over. Playwright's client collects
 * the call stacks of each trace chunk in a "stack session" (a folder of its own under the
 * temporary directory, and an array in the worker's heap that takes every later call's stack);
 * a session left open grows for the life of the worker. A 5,000-run soak found 350 MB of such
 * stacks, from the chunk `tracing.start()` opens on each new context. This test counts the
 * sessions' folders in a temporary directory of its own, across new and recycled contexts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useFerry } from './support/ferry.ts';

const ownTmp = mkdtempSync(join(tmpdir(), 'ferry-trace-tmp-'));
const sharedTmp = process.env.TMPDIR;
process.env.TMPDIR = ownTmp;
afterAll(() => {
  if (sharedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = sharedTmp;
  rmSync(ownTmp, { recursive: true, force: true });
});

// Contexts are recycled every 2 runs, so the runs below go through several new contexts.
const ferry = useFerry({ fixtures: { applicants: 40 }, concurrency: 1, env: { FERRY_CONTEXT_MAX_RUNS: '2' } });
const openStackSessions = () => readdirSync(ownTmp).filter((name) => name.startsWith('playwright-tracing-'));

describe('trace chunks across runs and recycled contexts', () => {
  it('leave no stack session open between runs, and each record is entered once', async () => {
    const applicants = enterableCases(ferry().fixtures.applicants).slice(0, 5);
    const receipts: string[] = [];
    const openAfterEachRun: string[][] = [];
    for (const applicant of applicants) {
      const outcome = await ferry().outcome(await ferry().trigger('flexible-worker-enrollment', { caseNo: applicant.caseNo }));
      expect(outcome).toMatchObject({ state: 'DONE', created: true });
      receipts.push(outcome.receipt!);
      openAfterEachRun.push(openStackSessions());
    }
    expect(openAfterEachRun).toEqual(applicants.map(() => []));
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect(applicants.map((applicant) => rows.get(applicant.idNumber)?.map((row) => row.serialNo))).toEqual(receipts.map((receipt) => [receipt]));
  }, 300_000);
});
