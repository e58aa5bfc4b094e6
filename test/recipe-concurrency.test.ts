/**
 * A recipe with `concurrency: 1`, for a system whose screens keep state between records: two
 * workers with two runs each still enter its records one at a time and in the order they were
 * queued, and while they wait they hold no worker slot, so another recipe's run goes ahead.
 */
import { Job } from 'bullmq';
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

/** What the in-order recipe saw: records entering at once, at most, and the order they were entered in. */
const seen = { running: 0, mostAtOnce: 0, entered: [] as string[] };
const inOrder: Recipe = {
  ...ENROLLMENT,
  id: 'enrollment-in-order',
  concurrency: 1,
  async read(context) {
    seen.running += 1;
    seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.running);
    return ENROLLMENT.read(context);
  },
  async write(context) {
    try {
      const receipt = await ENROLLMENT.write(context);
      seen.entered.push((context.input as { caseNo: string }).caseNo);
      return receipt;
    } finally {
      seen.running -= 1;
    }
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
    // Applicants of the city only: the residence system is then left to the other recipe.
    const cases = enterableCases(fixtures.applicants).filter((a) => a.hukouAddress.startsWith('江城市')).slice(0, 6);
    const ids: string[] = [];
    for (const applicant of cases) ids.push(await trigger(inOrder, { caseNo: applicant.caseNo }));
    const permit = fixtures.applicants.find((applicant) => applicant.permit)!.permit!;
    const other = await trigger(runtime.recipes.get('residence-permit-archive'), { permitNo: permit.permitNo, issuedOn: permit.issuedOn });

    const outcomes = await Promise.all(ids.map((id) => ferry().outcome(id)));
    expect(outcomes.map((outcome) => outcome.state)).toEqual(ids.map(() => 'DONE'));
    expect(seen.mostAtOnce).toBe(1);
    expect(seen.entered).toEqual(cases.map((applicant) => applicant.caseNo));
    const rows = await targetRowsById(fixtures.urls.medicalInsurance);
    for (const applicant of cases) expect(rows.get(applicant.idNumber)).toHaveLength(1);

    await ferry().outcome(other);
    // Runs waiting for their turn hold no worker slot, so the other recipe's run starts before the line is through.
    const job = async (id: string) => (await Job.fromId(runtime.queue, id))!;
    expect((await job(other)).processedOn!).toBeLessThan((await job(ids.at(-1)!)).finishedOn!);
    expect(await runtime.redis.scard(runtime.keys.recipeTurnHolders(inOrder.id))).toBe(0);
    expect(await runtime.redis.zcard(runtime.keys.recipeTurnLine(inOrder.id))).toBe(0);
  });
});
