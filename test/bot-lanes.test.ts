/**
 * Lanes are per bot, and a logout goes to the bot it came from: a recipe whose second bot
 * is logged out inside `write` logs that bot in again (not the target), and enters the
 * record once; a recipe using one bot under two aliases needs one session of it; a sync's
 * list step logs in only to the bots it calls.
 */
import { describe, expect, it } from 'vitest';
import acceptance from '../bots/acceptance/index.ts';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { defineRecipe } from '../runner/index.ts';
import enrollment from '../recipes/flexible-worker-enrollment.ts';
import { awaitSync } from '../runner/scheduler/sync-progress.ts';
import { enqueueSync } from '../runner/scheduler/sync-jobs.ts';
import { useFerry } from './support/ferry.ts';
import { countLogins, useRecipeWorker } from './support/recipe-worker.ts';

const ferry = useFerry({ workers: 0, fixtures: { applicants: 60, faults: { captcha: false } } });
const worker = useRecipeWorker(ferry);
const expireSessions = (url: string) => fetch(`${url}/__fixture/expire-sessions`, { method: 'POST' });

describe('when the source system logs its bot out inside `write`', () => {
  it('logs in again to the source only, and enters the record once', async () => {
    const source = countLogins(acceptance);
    const target = countLogins(medicalInsurance);
    let expired = false;
    const recipe = defineRecipe({
      ...enrollment,
      id: 'write-reads-source-again',
      bots: { ...enrollment.bots, source: source.bot, target: target.bot },
      // The write looks the case up in the source again (as a clerk checks it is still accepted) before entering it.
      async write(context) {
        if (!expired) {
          expired = true;
          await expireSessions(ferry().fixtures.urls.acceptance);
        }
        await context.source.pages.cases.applicant(context.input.caseNo);
        return context.target.pages.enrollment.submit(context.record);
      },
    });
    await worker.start([recipe]);
    const applicant = enterableCases(ferry().fixtures.applicants)[0];
    const outcome = await ferry().outcome(await worker.trigger(recipe, { caseNo: applicant.caseNo }));

    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    expect({ source: source.logins(), target: target.logins() }).toEqual({ source: 2, target: 1 });
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcome.receipt]);
    expect(await ferry().runtime.ledger.get(recipe.id, applicant.caseNo)).toMatchObject({ state: 'DONE', receipt: outcome.receipt });
  }, 240_000);
});

describe('a recipe that reads and writes the same system, which allows one session', () => {
  it('runs both aliases on one lane and files the record once', async () => {
    const one = countLogins(acceptance, { maxSessions: 1 });
    const recipe = defineRecipe({
      id: 'same-system-both-ends',
      title: '学历证书归档: 受理平台 → 电子档案袋',
      bots: { cases: one.bot, archive: one.bot },
      target: 'archive',
      input: enrollment.input,
      key: (input) => input.caseNo,
      manualMinutes: 1,
      read: async ({ input, cases }) => {
        const applicant = await cases.pages.cases.applicant(input.caseNo);
        return { idNumber: applicant.idNumber, name: applicant.name, certType: '学历证书' as const, certNo: `XL${input.caseNo}`, issuedOn: '2020-07-01', validUntil: '2099-12-31' };
      },
      find: ({ record, archive }) => archive.pages.archive.archiveNoOf(record.idNumber, record.certNo),
      write: ({ record, archive }) => archive.pages.archive.file(record),
    });
    await worker.start([recipe]);
    const applicant = enterableCases(ferry().fixtures.applicants)[1];
    const outcome = await ferry().outcome(await worker.trigger(recipe, { caseNo: applicant.caseNo }));

    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    expect(outcome.receipt).toMatch(/^DA\d+$/);
    expect(one.logins()).toBe(1);
    expect(await ferry().runtime.ledger.get(recipe.id, applicant.caseNo)).toMatchObject({ state: 'DONE', receipt: outcome.receipt });
  }, 240_000);
});

describe('a sync whose list step calls only the source', () => {
  it('logs in to the source and to no other bot of the recipe', async () => {
    const source = countLogins(acceptance);
    // Without its canaries: a sync first runs the canaries of its recipe's bots, which log in to each (test/canary.test.ts).
    const target = countLogins(medicalInsurance, { canaries: undefined });
    const recipe = defineRecipe({
      ...enrollment,
      id: 'list-source-only',
      bots: { ...enrollment.bots, source: source.bot, target: target.bot },
      schedule: {
        cron: '0 2 * * *',
        // Lists as the enrollment recipe does, then fans out nothing, so no run logs in anywhere.
        list: async (context) => {
          await enrollment.schedule!.list(context);
          return [];
        },
      },
    });
    await worker.start([recipe]);
    const job = await enqueueSync(ferry().runtime.syncs, recipe.id, new Date(), { trigger: { via: 'cli', by: 'cli:test' }, attempts: 1 });
    expect(await awaitSync(ferry().runtime.syncs, job.id!)).toMatchObject({ listed: 0 });
    expect({ source: source.logins(), target: target.logins() }).toEqual({ source: 1, target: 0 });
  }, 240_000);
});
