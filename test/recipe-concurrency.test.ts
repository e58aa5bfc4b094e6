/**
 * A recipe with `concurrency: 1`, for a system whose screens keep state between records: two
 * workers with two runs each still enter its records one at a time and in the order they were
 * queued, and while they wait they hold no worker slot, so another recipe's run goes ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import enrollment from '../recipes/flexible-worker-enrollment.ts';
import type { Recipe } from '../runner/define/recipe.ts';
import { RecipeRegistry } from '../runner/define/registry.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { startWorker, type RunningWorker } from '../runner/run/worker.ts';
import { useFerry } from './support/ferry.ts';

const ENROLLMENT = enrollment as unknown as Recipe;
const ferry = useFerry({ workers: 0, fixtures: { applicants: 80, faults: { captcha: false } } });

/** The order in which the in-order recipe's records were first written (a retried write is not counted twice). */
const firstWrites: string[] = [];
const inOrder: Recipe = {
  ...ENROLLMENT,
  id: 'enrollment-in-order',
  concurrency: 1,
  async write(context) {
    const caseNo = (context.input as { caseNo: string }).caseNo;
    if (!firstWrites.includes(caseNo)) firstWrites.push(caseNo);
    return ENROLLMENT.write(context);
  },
};

const workers: RunningWorker[] = [];
beforeAll(async () => {
  const { runtime } = ferry();
  const recipes = new RecipeRegistry(new Map([...runtime.recipes.all().map((recipe) => [recipe.id, recipe] as const), [inOrder.id, inOrder]]));
  for (let i = 0; i < 2; i++) workers.push(await startWorker({ ...runtime, recipes }, { ocr: ferry().ocr, concurrency: 2 }));
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
});

async function trigger(recipe: Recipe, input: unknown): Promise<string> {
  const { runtime } = ferry();
  const job = await triggerRun(runtime.queue, recipe, input, {
    trigger: { via: 'batch', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
  });
  return job.id!;
}

describe('a recipe with concurrency 1 on two workers of two runs each', () => {
  it('enters one record at a time, in queue order, while another recipe\'s run goes ahead', async () => {
    const { runtime, fixtures } = ferry();
    const history = runtime.history;
    // Applicants of the city only: the residence system is then left to the other recipe.
    const cases = enterableCases(fixtures.applicants).filter((a) => a.hukouAddress.startsWith('江城市')).slice(0, 6);
    const ids: string[] = [];
    for (const applicant of cases) ids.push(await trigger(inOrder, { caseNo: applicant.caseNo }));
    const permit = fixtures.applicants.find((applicant) => applicant.permit)!.permit!;
    const other = await trigger(runtime.recipes.get('residence-permit-archive'), { permitNo: permit.permitNo, issuedOn: permit.issuedOn });

    const outcomes = await Promise.all(ids.map((id) => ferry().outcome(id)));
    expect(outcomes.map((outcome) => outcome.state)).toEqual(ids.map(() => 'DONE'));
    expect(firstWrites).toEqual(cases.map((applicant) => applicant.caseNo));
    // Each run, from its first attempt to its end (retries included: a run keeps its turn), had the recipe to itself, in queue order.
    const spans = await Promise.all(ids.map(async (id) => {
      const { events } = (await history.get(id))!;
      return [events.find((event) => event.kind === 'attempt')!.at, events.findLast((event) => event.kind === 'finished')!.at];
    }));
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    const rows = await targetRowsById(fixtures.urls.medicalInsurance);
    for (const applicant of cases) expect(rows.get(applicant.idNumber)).toHaveLength(1);

    await ferry().outcome(other);
    // Runs waiting for their turn hold no worker slot, so the other recipe's run starts (its first attempt) before the line is through.
    const otherStarted = (await history.get(other))!.events.find((event) => event.kind === 'attempt')!.at;
    expect(otherStarted).toBeLessThan(spans.at(-1)![1]);
    expect(await runtime.redis.scard(runtime.keys.recipeTurnHolders(inOrder.id))).toBe(0);
    expect(await runtime.redis.zcard(runtime.keys.recipeTurnLine(inOrder.id))).toBe(0);
  });
});
