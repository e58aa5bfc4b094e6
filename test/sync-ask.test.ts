/**
 * A question about a whole nightly batch: a residence-permit sync whose list reaches back more
 * than a week waits for ops, fanning out nothing and keeping its watermark; `yes` (answered at
 * the CLI) sends the same sync job on, which files the permits and moves the watermark; `no`
 * fails the sync of another night with a plain reason and leaves the watermark.
 */
import { describe, expect, it } from 'vitest';
import archive from '../recipes/residence-permit-archive.ts';
import { auditLogOf } from '../runner/access/audit.ts';
import { taskDeskOf, type Answerer } from '../runner/ask/task-desk.ts';
import { NO_ANSWER, sweepTasks } from '../runner/ask/task-sweep.ts';
import { triggeredBy } from '../runner/run/types.ts';
import { daysBefore } from '../runner/scheduler/slots.ts';
import { enqueueSync } from '../runner/scheduler/sync-jobs.ts';
import { awaitSync, awaitSyncRuns } from '../runner/scheduler/sync-progress.ts';
import { syncAskerFor } from '../runner/scheduler/sync-tasks.ts';
import { formatStatus, readStatus } from '../runner/status/status.ts';
import { runFerry } from './support/ferry-cli.ts';
import { fixtureRecords } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'residence-permit-archive';
const ferry = useFerry({ fixtures: { applicants: 40, faults: { captcha: false } } });
const ops: Answerer = { name: 'opsy', identity: triggeredBy.dashboard('opsy'), ops: true };
const desk = () => taskDeskOf(ferry().runtime, auditLogOf(ferry().runtime));

/** The last day the fixture issued permits, and the latest issue day at least 8 days before it: a few permits, listed 8 days back or more. */
function longReach() {
  const permits = ferry().fixtures.applicants.flatMap((a) => (a.permit ? [a.permit] : [])).sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
  const day = permits.at(-1)!.issuedOn;
  const since = permits.filter((permit) => permit.issuedOn <= daysBefore(day, 8)).at(-1)!.issuedOn;
  return { day, since, listed: permits.filter((permit) => permit.issuedOn >= since).map((permit) => permit.permitNo).sort() };
}

/** Enqueues the scheduled sync of 02:30 (Asia/Shanghai) on `day`, as the scheduler does, and waits for it to list. */
async function syncNight(day: string) {
  const { runtime } = ferry();
  const job = await enqueueSync(runtime.syncs, RECIPE, new Date(`${day}T02:30:00+08:00`), { trigger: { via: 'schedule', by: triggeredBy.schedule(RECIPE) } });
  return { syncId: job.id!, result: await awaitSync(runtime.syncs, job.id!) };
}

const filed = async () => (await fixtureRecords<{ archive: { certNo: string }[] }>(ferry().fixtures.urls.acceptance)).archive.map((entry) => entry.certNo).sort();

describe('a sync whose list reaches back more than 7 days', () => {
  it('waits for ops with one question and nothing fanned out; "yes" sends the same sync on, which files the permits', async () => {
    const { runtime } = ferry();
    const { day, since, listed } = longReach();
    await runtime.syncState.advanceWatermark(RECIPE, since);

    const { syncId, result } = await syncNight(day);
    const taskId = `${syncId}~longReach`;
    expect(result).toMatchObject({ since, keyIds: [], waitingFor: taskId });
    expect(await runtime.tasks.listOpen()).toEqual([expect.objectContaining({ id: taskId, assignee: 'ops', kind: 'confirm', sync: expect.objectContaining({ day }) })]);
    const { detail } = await runtime.tasks.details((await runtime.tasks.get(taskId))!);
    expect(detail).toContain(`列出自 ${since} 起共`);
    expect(detail).toContain(`签发记录 ${listed.length} 条`);
    expect(await runtime.queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed')).toBe(0);
    expect(await filed()).toEqual([]);
    expect(await runtime.syncState.watermark(RECIPE)).toBe(since);
    expect(await runtime.syncState.lastSync(RECIPE)).toMatchObject({ state: 'waiting', task: taskId, since });
    expect(formatStatus(await readStatus(runtime)).join('\n')).toContain(`WAITING for an answer (listing since ${since}): ferry tasks answer ${taskId}`);

    const answered = await runFerry(['tasks', 'answer', taskId, '--value', 'yes'], ferry().env);
    expect([answered.code, JSON.parse(answered.stdout)]).toEqual([0, { task: taskId, answered: true, run: 'resumed' }]);

    const resumed = await awaitSync(runtime.syncs, syncId);
    expect(resumed).toMatchObject({ since, listed: listed.length, skipped: 0 });
    expect(resumed.waitingFor).toBeUndefined();
    expect(await awaitSyncRuns(runtime, resumed, syncId)).toMatchObject({ runs: listed.length, failed: 0, needsReview: 0 });
    expect(await filed()).toEqual(listed);
    expect(await runtime.syncState.watermark(RECIPE)).toBe(day);
    expect(await runtime.syncState.lastSync(RECIPE)).toMatchObject({ state: 'done', runs: listed.length });
    await expect(desk().answer(taskId, 'no', ops)).rejects.toThrow(/answered already by cli:.*; the sync goes on with that answer/);
  });

  it('fails the sync of another night with a plain reason on "no", filing nothing and keeping the watermark', async () => {
    const { runtime } = ferry();
    const { day } = longReach();
    const before = await filed();
    const later = daysBefore(day, -9);
    const { syncId, result } = await syncNight(later);
    expect(result).toMatchObject({ since: day, waitingFor: `${syncId}~longReach` });

    expect(await desk().answer(result.waitingFor!, 'no', ops)).toBe('resumed');
    await expect(awaitSync(runtime.syncs, syncId)).rejects.toThrow(/运维未确认回溯 9 天的归档.*ops did not confirm archiving 9 days back/);
    expect(await runtime.syncState.lastSync(RECIPE)).toMatchObject({ state: 'failed', reason: expect.stringContaining('ops did not confirm') });
    expect(await runtime.syncState.watermark(RECIPE)).toBe(day);
    expect(await filed()).toEqual(before);
    expect(await runtime.tasks.listOpen()).toEqual([]);
  });

  it('fails the sync with "no answer" when its question expires unanswered, and refuses a late answer', async () => {
    const { runtime } = ferry();
    const { day } = longReach();
    const { result } = await syncNight(daysBefore(day, -10));
    const task = (await runtime.tasks.get(result.waitingFor!))!;
    const history = runtime.history;
    const sweep = { tasks: runtime.tasks, desk: desk(), ledger: runtime.ledger, history, stats: runtime.stats };
    expect(await sweepTasks(sweep, task.createdAt + 21 * 3_600_000)).toMatchObject({ expired: 1 });
    expect(await runtime.syncState.lastSync(RECIPE)).toMatchObject({ state: 'failed', reason: NO_ANSWER, since: day });
    expect(await runtime.syncState.watermark(RECIPE)).toBe(day);
    await expect(desk().answer(task.id, 'yes', ops)).rejects.toThrow(/unanswered past its deadline and the sync failed/);
  });
});

describe('asking in list', () => {
  it('refuses a question the recipe does not declare, in its types and at run time', async () => {
    const { ask } = syncAskerFor(ferry().runtime.tasks, archive, 'sync__residence-permit-archive__20260101T183000Z');
    await expect(ask('longReach')).rejects.toMatchObject({ name: 'PersonNeededError' });
    await expect(ask('permitNo')).rejects.toMatchObject({ name: 'RecipeBugError', message: expect.stringMatching(/declares no such question/) });
    // @ts-expect-error the archive's list may ask only the questions the recipe declares
    const undeclared = (context: Parameters<NonNullable<typeof archive.schedule>['list']>[0]) => context.ask('permitNo');
    expect(undeclared).toBeTypeOf('function');
  });
});
