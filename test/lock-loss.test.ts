/**
 * A worker frozen past its lease (as by a long GC pause or SIGSTOP) right before `write`:
 * another worker takes the run over, waits out the grace for a request the frozen one might
 * have sent (`FERRY_INFLIGHT_GRACE_MS`), looks again and enters the record; when the frozen one
 * wakes, its lease check refuses to write, so the record is entered exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { spawnWorker, stopWorker, type FerryProcess } from '../cli/ferry-process.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({
  workers: 0,
  // Short enough that the test does not wait long for the frozen lease to lapse; long enough that a busy machine's
  // renewals (which must come back within half of it before a write) do not lose it for the awake worker too.
  env: { FERRY_LOCK_MS: '8000', FERRY_INFLIGHT_GRACE_MS: '3000' },
  fixtures: { applicants: 60, faults: { captcha: false } },
});

/** True when the worker is stopped (state T in /proc); a worker that exited instead fails the test with what it printed. */
function isStopped(worker: FerryProcess): boolean {
  if (worker.exitCode !== null || worker.signalCode !== null) {
    throw new Error(`the worker exited (${worker.exitCode ?? worker.signalCode}) instead of freezing: ${worker.err().slice(-2000)}`);
  }
  return /^\d+ \(.*\) T /.test(readFileSync(`/proc/${worker.pid}/stat`, 'utf8'));
}

function logLines(pid: number): { msg: string; reason?: string }[] {
  const text = readFileSync(join(ferry().runtime.config.dataDir, 'logs', 'ferry.log'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((line) => line.pid === pid);
}

describe('when a worker is frozen past its lease right before it writes', () => {
  it('lets another worker enter the record, and the woken worker writes nothing', async () => {
    const [applicant] = enterableCases(ferry().fixtures.applicants);
    const frozen = spawnWorker({ ...ferry().env, FERRY_FAULT_POINT: 'stop-before-write' });
    const jobId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
    // The second worker starts once the first holds the run, so it boots while the first logs in and reads.
    await waitFor('the first worker to take the run', async () => (await ferry().runtime.queue.getJobState(jobId)) === 'active', 180_000);
    const second = spawnWorker(ferry().env);
    try {
      await waitFor('the first worker to freeze before writing', () => isStopped(frozen), 120_000);
      expect((await ferry().runtime.ledger.get(RECIPE, applicant.caseNo))?.state).toBe('SUBMITTING');

      const outcome = await ferry().outcome(jobId);
      expect(outcome).toMatchObject({ state: 'DONE', created: true });
      // The frozen worker's lease lapsed while SUBMITTING: the second did not write before that lease's end plus the grace.
      const entry = await ferry().runtime.ledger.get(RECIPE, applicant.caseNo);
      expect(Number(entry?.quietUntil)).toBeGreaterThan(0);
      expect(Number(entry?.updatedAt)).toBeGreaterThanOrEqual(Number(entry?.quietUntil));
      frozen.kill('SIGCONT');
      const givenUp = () => logLines(frozen.pid!).find((line) => line.msg === 'transient failure; will retry');
      await waitFor('the woken worker to give the run up', () => givenUp() !== undefined);
      await expectEnteredOnce(ferry(), [applicant], [outcome]);
      expect(givenUp()?.reason).toMatch(/lost the lease/);
    } finally {
      frozen.kill('SIGCONT');
      expect(await Promise.all([stopWorker(frozen), stopWorker(second)])).toEqual([0, 0]);
    }
  }, 240_000); // two worker processes start and stop: minutes on a loaded machine
});
