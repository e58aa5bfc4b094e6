/**
 * The demo's questions for a person: `--unreadable <share>` draws that share of the batch's
 * 居住证号 images blank (the fixtures' OCR fault), so their runs ask; `--auto-answer` answers
 * each question as the clerk at the counter would, from the applicant's permit card, after a
 * pause of up to three seconds, through the same task desk the dashboard uses.
 */
import type { Applicant } from '../fixtures/data/applicants.ts';
import { setFixtureFaults } from '../fixtures/control.ts';
import type { RunningFixtures } from '../fixtures/start.ts';
import { auditLogOf } from '../runner/access/audit.ts';
import { taskDeskOf } from '../runner/ask/task-desk.ts';
import type { JobWaiter } from '../runner/run/job-waiter.ts';
import { splitRunJobId } from '../runner/run/key.ts';
import { triggeredBy, type RunOutcome } from '../runner/run/types.ts';
import type { Runtime } from '../runner/runtime.ts';

/** Draws the permit number images of `share` of the applicants from outside the city blank; resolves with how many. */
export async function makePermitsUnreadable(fixtures: RunningFixtures, applicants: Applicant[], share: number): Promise<number> {
  const holders = applicants.filter((a) => a.outsideCity && a.permit);
  const unreadable = holders.slice(0, Math.round(holders.length * share)).map((a) => a.permit!.permitNo);
  await setFixtureFaults(fixtures.urls.residence, { illegibleNumbers: unreadable });
  return unreadable.length;
}

/** Answers a waiting run's question as `clerk` and resolves with the run's next outcome. */
export type Answerer = (jobId: string, waiting: RunOutcome) => Promise<RunOutcome>;

/** The clerk who reads each unreadable permit number off the applicant's card. */
export function clerkAtTheCounter(runtime: Runtime, applicants: Applicant[], outcomes: JobWaiter<RunOutcome>, clerk: string): Answerer {
  const desk = taskDeskOf(runtime, auditLogOf(runtime));
  const byCase = new Map(applicants.map((a) => [a.caseNo, a]));
  return async (jobId, waiting) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3_000));
    const permitNo = byCase.get(splitRunJobId(jobId).keyId)?.permit?.permitNo;
    if (!permitNo || !waiting.task) throw new Error(`the demo cannot answer the question of ${jobId}`);
    await desk.answer(waiting.task, permitNo, { name: clerk, identity: triggeredBy.dashboard(clerk), ops: true });
    return outcomes.wait(jobId);
  };
}
