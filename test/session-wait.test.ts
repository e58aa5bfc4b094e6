/**
 * A system that allows one session, held by a run that takes long: the other run waits for the
 * session as long as `FERRY_SESSION_WAIT_MS`, then goes back to the queue without spending an
 * attempt (here there is only one), says so on its history, and is entered once the session
 * is free. Before, the wait failed the attempt, so under load a busy system burnt runs' attempts.
 */
import { describe, expect, it } from 'vitest';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { defineRecipe } from '../runner/index.ts';
import enrollment from '../recipes/flexible-worker-enrollment.ts';
import { useFerry } from './support/ferry.ts';
import { countLogins, useRecipeWorker } from './support/recipe-worker.ts';

const ferry = useFerry({ workers: 0, env: { FERRY_SESSION_WAIT_MS: '500', FERRY_ATTEMPTS: '1' }, fixtures: { applicants: 60, faults: { captcha: false } } });
const worker = useRecipeWorker(ferry);

describe('a run that finds every session of its target busy', () => {
  it('waits in the queue without spending an attempt, and is entered once the session is free', async () => {
    const target = countLogins(medicalInsurance, { maxSessions: 1 });
    let releaseFirst = () => {};
    const firstMayFinish = new Promise<void>((resolve) => { releaseFirst = resolve; });
    let writers = 0;
    const recipe = defineRecipe({
      ...enrollment,
      id: 'one-target-session',
      bots: { ...enrollment.bots, target: target.bot },
      // The first write keeps the target's only session until the other run has been sent back to the queue.
      async write(context) {
        if (writers++ === 0) await firstMayFinish;
        return enrollment.write(context);
      },
    });
    await worker.start([recipe]);
    const [first, second] = enterableCases(ferry().fixtures.applicants).slice(0, 2);
    const runs = [await worker.trigger(recipe, { caseNo: first.caseNo }), await worker.trigger(recipe, { caseNo: second.caseNo })];

    const held = await waitForBusyEvent(runs);
    expect(held.detail).toMatch(/医保.*no medical-insurance session became free within 500 ms/);
    releaseFirst();
    const outcomes = await Promise.all(runs.map((id) => ferry().outcome(id)));

    expect(outcomes.map((outcome) => outcome.state)).toEqual(['DONE', 'DONE']);
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    for (const [i, applicant] of [first, second].entries()) expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcomes[i].receipt]);
    const jobs = await Promise.all(runs.map((id) => ferry().runtime.queue.getJob(id)));
    expect(jobs.map((job) => job?.attemptsMade)).toEqual([1, 1]);
    expect(target.logins()).toBe(1);
  }, 240_000);
});

/** The first 'busy' event on either run's history, once one is there. */
async function waitForBusyEvent(runs: string[]) {
  const history = ferry().runtime.history;
  for (;;) {
    for (const id of runs) {
      const busy = (await history.get(id))?.events.find((event) => event.kind === 'busy');
      if (busy) return busy;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
