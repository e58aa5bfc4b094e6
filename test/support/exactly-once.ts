/** What exactly-once means to a user, checked after a fault: one row per record, the ledger agrees, nothing stuck. */
import { expect } from 'vitest';
import type { Applicant } from '../../fixtures/data/applicants.ts';
import type { RunOutcome } from '../../runner/run/types.ts';
import { targetRowsById } from '../../fixtures/inspect.ts';
import type { FerryHarness } from './ferry.ts';

const RECIPE = 'flexible-worker-enrollment';

/** Every case is DONE with exactly one medical-insurance row, whose receipt the outcome and ledger carry. */
export async function expectEnteredOnce(ferry: Pick<FerryHarness, 'fixtures' | 'runtime'>, cases: Applicant[], outcomes: RunOutcome[]): Promise<void> {
  // A run that did not end DONE shows its reason in the failure, so a rare one under load explains itself.
  expect(outcomes.map((outcome) => (outcome.state === 'DONE' ? 'DONE' : `${outcome.state}: ${outcome.reason}`))).toEqual(cases.map(() => 'DONE'));
  const rows = await targetRowsById(ferry.fixtures.urls.medicalInsurance);
  for (const [i, applicant] of cases.entries()) {
    expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcomes[i].receipt]);
    const entry = await ferry.runtime.ledger.get(RECIPE, applicant.caseNo);
    expect([entry?.state, entry?.receipt]).toEqual(['DONE', outcomes[i].receipt]);
  }
  expect(await ferry.runtime.queue.getActiveCount()).toBe(0);
}
