/**
 * `FERRY_RECORD_RETENTION_DAYS` (here 7): a run's record and timeline, a batch, and a question put
 * to a person with its answer expire that many days after their last change (the question after it closes), and the lists that name them (all runs, a user's runs, the
 * ops list, the batches) drop the entries older than that as new ones come, so that after a
 * year of 3,000 runs a day Redis holds about 7 days of them, not 365.
 */
import { describe, expect, it } from 'vitest';
import { batchDeskOf, type BatchActor } from '../runner/batch/batch-desk.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { triggeredBy } from '../runner/run/types.ts';
import { useFerry } from './support/ferry.ts';

const DAY_MS = 86_400_000;
const SEVEN_DAYS_S = 7 * 86_400;
const ferry = useFerry({ env: { FERRY_RECORD_RETENTION_DAYS: '7' }, fixtures: { applicants: 20, faults: { captcha: false } } });

/** Plants what an earlier Ferry left in the index `key`: a run listed `daysAgo` days ago, with its record when it still has one. */
async function plantListed(key: string, id: string, daysAgo: number, withRecord: boolean): Promise<void> {
  const { redis, keys } = ferry().runtime;
  const at = Date.now() - daysAgo * DAY_MS;
  await redis.zadd(key, at, id);
  if (withRecord) await redis.hset(keys.run(id), { id, recipe: 'residence-permit-archive', keyId: id, via: 'cli', by: 'cli:test', createdAt: at, updatedAt: at, state: 'REJECTED' });
}

/** Checks that `key` expires within a minute under `seconds` from now (`TTL` is -1 for a key that never expires, -2 for none). */
async function expectExpiresIn(key: string, seconds: number): Promise<void> {
  const ttl = await ferry().runtime.redis.ttl(key);
  expect(ttl, key).toBeGreaterThan(seconds - 60);
  expect(ttl, key).toBeLessThanOrEqual(seconds);
}

describe('with FERRY_RECORD_RETENTION_DAYS=7', () => {
  it('keeps a finished run 7 days, and the run lists drop the runs older than 7 days as a new one comes', async () => {
    const { runtime } = ferry();
    const { redis, keys, history } = runtime;
    const lists = [keys.runIndex(), keys.runsOf('cli:test'), keys.attentionIndex()];
    for (const list of lists) {
      await plantListed(list, 'run-8-days-ago', 8, false);
      await plantListed(list, 'run-6-days-ago', 6, true);
    }

    const issuedOn = ferry().fixtures.applicants.find((a) => a.permit)!.permit!.issuedOn;
    const jobId = await ferry().trigger('residence-permit-archive', { permitNo: 'JZ202099999999', issuedOn });
    expect(await ferry().outcome(jobId)).toMatchObject({ state: 'REJECTED' });

    await expectExpiresIn(keys.run(jobId), SEVEN_DAYS_S);
    await expectExpiresIn(keys.runEvents(jobId), SEVEN_DAYS_S);
    for (const list of lists) {
      expect(await redis.zrange(list, 0, -1), list).toEqual(['run-6-days-ago', jobId]);
      await expectExpiresIn(list, SEVEN_DAYS_S);
    }
    expect((await history.list('attention')).map((run) => run.id)).toEqual([jobId, 'run-6-days-ago']);
    expect((await history.list({ by: 'cli:test' })).map((run) => run.id)).toEqual([jobId, 'run-6-days-ago']);
  });

  it('keeps a batch and its sealed rows 7 days, and the batch list drops the batches older than 7 days', async () => {
    const { runtime } = ferry();
    const { redis, keys } = runtime;
    const clerk: BatchActor = { name: 'clerk1', identity: triggeredBy.dashboard('clerk1'), seesAll: false };
    await redis.zadd(keys.batchIndex(), Date.now() - 8 * DAY_MS, 'batch-8-days-ago');
    await redis.zadd(keys.batchIndex(), Date.now() - 6 * DAY_MS, 'batch-6-days-ago');

    const caseNo = enterableCases(ferry().fixtures.applicants)[0].caseNo;
    const batch = await batchDeskOf(runtime).upload({ recipe: 'flexible-worker-enrollment', fileName: 'cases.csv', bytes: Buffer.from(`受理编号\n${caseNo}\n`), source: 'dashboard' }, clerk);

    expect(batch.good).toHaveLength(1);
    await expectExpiresIn(keys.batch(batch.id), SEVEN_DAYS_S);
    await expectExpiresIn(keys.batchContent(batch.id), SEVEN_DAYS_S);
    expect(await redis.zrange(keys.batchIndex(), 0, -1)).toEqual(['batch-6-days-ago', batch.id]);
    await expectExpiresIn(keys.batchIndex(), SEVEN_DAYS_S);
  });

  it('keeps a question 7 days after its deadline, and its answer 7 days after it was given', async () => {
    const { runtime } = ferry();
    const question = { kind: 'value' as const, prompt: { zh: '请输入居住证号码', en: 'Type the permit number' }, rejectAfterMinutes: 60 };
    const id = await runtime.tasks.open({
      run: 'run-asking', recipe: 'residence-permit-archive', keyId: 'JZ202099999998', questionId: 'permitNo', question,
      trigger: { via: 'cli', by: 'cli:test' }, details: { detail: '第 3 行' },
    });
    await expectExpiresIn(runtime.keys.task(id), SEVEN_DAYS_S + 3600);
    expect(await runtime.tasks.answer((await runtime.tasks.get(id))!, 'JZ202099999998', 'cli:test')).toBe('ok');
    await expectExpiresIn(runtime.keys.answers('residence-permit-archive', 'JZ202099999998'), SEVEN_DAYS_S);
    expect(await runtime.tasks.storedAnswer('residence-permit-archive', 'JZ202099999998', 'permitNo')).toBe('JZ202099999998');
  });
});
