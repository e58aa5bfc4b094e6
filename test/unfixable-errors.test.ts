/**
 * Failures no retry can fix: a bot with no stored credentials, and a recipe whose browser-side
 * callback cannot run. Each fails at its first attempt, with one evidence folder and a reason
 * that names the fix; once the cause is fixed, `ferry retry` runs the record again, and it is
 * entered once.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { storeFixtureCredentials } from '../fixtures/wiring.ts';
import enrollment from '../recipes/flexible-worker-enrollment.ts';
import type { Recipe } from '../runner/define/recipe.ts';
import { RecipeRegistry } from '../runner/define/registry.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { startWorker, type RunningWorker } from '../runner/run/worker.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';

/** The enrollment recipe as the registry holds recipes. */
const ENROLLMENT = enrollment as unknown as Recipe;
const ferry = useFerry({ workers: 0, env: { FERRY_ATTEMPTS: '4' }, fixtures: { applicants: 60, faults: { captcha: false } } });

/** The enrollment, but its read ends in the call tsx compiles a named inner function of a browser callback to. */
const compiledByTsx: Recipe = {
  ...ENROLLMENT,
  id: 'enrollment-with-named-callback',
  async read(context) {
    const record = await ENROLLMENT.read(context);
    const source = (context as unknown as { source: { page: { evaluate(code: string): Promise<unknown> } } }).source;
    await source.page.evaluate('__name(function fieldText() { return 1; }, "fieldText")()');
    return record;
  },
};

let worker: RunningWorker;
beforeAll(async () => {
  const recipes = new RecipeRegistry(new Map([[ENROLLMENT.id, ENROLLMENT], [compiledByTsx.id, compiledByTsx]]));
  worker = await startWorker({ ...ferry().runtime, recipes }, { ocr: ferry().ocr, concurrency: 1 });
});
afterAll(async () => {
  await worker?.close();
});

const applicants = () => enterableCases(ferry().fixtures.applicants);

async function trigger(recipe: Recipe, caseNo: string): Promise<string> {
  const { runtime } = ferry();
  const job = await triggerRun(runtime.queue, recipe, { caseNo }, {
    trigger: { via: 'cli', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
  });
  return job.id!;
}

/** Attempts BullMQ started, and evidence folders kept, for a run. */
async function attemptsAndEvidence(runId: string): Promise<{ attempts: number; evidenceFolders: number }> {
  const job = await Job.fromId(ferry().runtime.queue, runId);
  const folders = readdirSync(join(ferry().runtime.config.dataDir, 'evidence')).filter((name) => name.startsWith(`${runId}-`));
  return { attempts: job!.attemptsMade, evidenceFolders: folders.length };
}

describe('when a bot has no stored credentials', () => {
  it('fails the run at once, saying how to store them; triggering it again points to `ferry retry`, which enters it once they are stored', async () => {
    const { runtime, fixtures } = ferry();
    const applicant = applicants()[0];
    await runtime.redis.del(runtime.keys.credentials('medical-insurance'));
    const runId = await trigger(ENROLLMENT, applicant.caseNo);
    const outcome = await ferry().outcome(runId);
    expect(outcome.state).toBe('FAILED');
    expect(outcome.reason).toContain('`ferry secrets set medical-insurance`');
    expect(outcome.reason).toContain('Not retried');
    expect(await attemptsAndEvidence(runId)).toEqual({ attempts: 1, evidenceFolders: 1 });

    const again = await runFerry(['run', ENROLLMENT.id, '--input', JSON.stringify({ caseNo: applicant.caseNo })], ferry().env);
    expect(JSON.parse(again.stdout)).toMatchObject({ run: runId });
    expect(again.stderr).toContain(`failed earlier; once its cause is fixed, run it again with \`ferry retry ${runId}\``);

    await storeFixtureCredentials(runtime.credentials);
    const retried = await runFerry(['retry', runId, '--wait'], ferry().env);
    expect(retried.stderr).toBe('');
    expect(JSON.parse(retried.stdout)).toMatchObject({ run: runId, state: 'DONE', created: true });
    expect((await targetRowsById(fixtures.urls.medicalInsurance)).get(applicant.idNumber)).toHaveLength(1);
  });
});

describe('when a browser-side callback calls __name, as tsx compiles named inner functions', () => {
  it('fails the run at once as a recipe bug, with one evidence folder and the fix in its reason', async () => {
    const runId = await trigger(compiledByTsx, applicants()[1].caseNo);
    const outcome = await ferry().outcome(runId);
    expect(outcome.state).toBe('FAILED');
    expect(outcome.reason).toContain('__name is not defined');
    expect(outcome.reason).toContain('write the helper inline');
    expect(await attemptsAndEvidence(runId)).toEqual({ attempts: 1, evidenceFolders: 1 });
  });
});

describe('when a queued run\'s recipe no longer loads in the worker', () => {
  it('fails the run at once, saying to fix the recipe file', async () => {
    const runId = await trigger({ ...ENROLLMENT, id: 'recipe-since-removed' }, applicants()[3].caseNo);
    const outcome = await ferry().outcome(runId);
    expect(outcome.state).toBe('FAILED');
    expect(outcome.reason).toContain('Not retried: fix the recipe file');
    expect((await Job.fromId(ferry().runtime.queue, runId))!.attemptsMade).toBe(1);
  });
});

describe('`ferry retry` of a run that needs no attention', () => {
  it('refuses with the run\'s state and exit code 2', async () => {
    const runId = await trigger(ENROLLMENT, applicants()[2].caseNo);
    expect((await ferry().outcome(runId)).state).toBe('DONE');
    const retried = await runFerry(['retry', runId], ferry().env);
    expect(retried.code).toBe(2);
    expect(retried.stderr).toContain('The run is DONE');
  });
});
