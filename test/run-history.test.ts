/**
 * Run history as ops see it: a retried run shows QUEUED until a worker takes it, a run whose
 * job the queue has dropped is added again from the input it stored (any number of fields),
 * and running a settled record again does not count it twice in `ferry status`.
 */
import { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { auditLogOf } from '../runner/access/audit.ts';
import { opsActionsOf, type OpsActions } from '../runner/run/ops-actions.ts';
import { startWorker } from '../runner/run/worker.ts';
import { readStatus } from '../runner/status/status.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'residence-permit-archive';
const ferry = useFerry({ workers: 0, fixtures: { applicants: 60, faults: { captcha: false } } });

function opsActions(): OpsActions {
  const { runtime } = ferry();
  return opsActionsOf(runtime, auditLogOf(runtime));
}

async function rejectedToday(): Promise<number> {
  return (await readStatus(ferry().runtime)).recipes.find((recipe) => recipe.id === RECIPE)!.today.rejected;
}

/** Runs the queue with one in-process worker until `jobId` has an outcome. */
async function runUntilDone(jobId: string) {
  const worker = await startWorker(ferry().runtime, { ocr: ferry().ocr });
  try {
    return await ferry().outcome(jobId);
  } finally {
    await worker.close();
  }
}

describe('when ops retry a run whose job the queue has dropped', () => {
  it('shows it QUEUED, adds it again with its two-field input, and counts its second rejection no more', async () => {
    const history = ferry().runtime.history;
    const issuedOn = ferry().fixtures.applicants.find((a) => a.permit)!.permit!.issuedOn;
    const input = { permitNo: 'JZ202099999999', issuedOn };
    const jobId = await ferry().trigger(RECIPE, input);
    expect(await runUntilDone(jobId)).toMatchObject({ state: 'REJECTED' });
    expect(await rejectedToday()).toBe(1);
    expect((await history.get(jobId))?.run).toMatchObject({ state: 'REJECTED', input: JSON.stringify(input) });

    await (await Job.fromId(ferry().runtime.queue, jobId))!.remove();
    await opsActions().retry(jobId, { name: 'opsy', ip: '127.0.0.1' });
    expect((await history.get(jobId))?.run.state).toBe('QUEUED');
    expect((await history.list('all')).find((run) => run.id === jobId)?.state).toBe('QUEUED');
    expect((await history.list('attention')).map((run) => run.id)).not.toContain(jobId);
    const readded = await Job.fromId(ferry().runtime.queue, jobId);
    expect(readded?.data).toMatchObject({ input, trigger: { via: 'ops', by: 'dashboard:opsy' } });

    expect(await runUntilDone(jobId)).toMatchObject({ state: 'REJECTED' });
    expect((await history.get(jobId))?.run.state).toBe('REJECTED');
    expect(await rejectedToday()).toBe(1);
  }, 180_000);
});
