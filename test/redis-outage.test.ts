/**
 * Redis going away: a worker and a trigger started while Redis is down say so and retry,
 * then carry on once it is up; a one-shot command gives up after a few seconds with exit 2;
 * Redis killed mid-run and restarted from its AOF loses nothing, and every record is still
 * entered exactly once.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';
import { spawnFerry, spawnWorker, stopWorker, type FerryProcess } from '../cli/ferry-process.ts';
import { waitFor } from './support/wait.ts';
import { describeRedisUrl } from '../runner/redis/redis-url.ts';

const RECIPE = 'flexible-worker-enrollment';
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
/** A short lock, so an outage outlasts it: BullMQ then starts the stalled runs again. */
const LOCK_MS = 3000;
const ferry = useFerry({
  workers: 0,
  // A run SUBMITTING when its lease lapsed is looked at again only after this grace (2 min by default), which must
  // outlast any request still on its way to the target: the fixture answers within its 300 ms latency.
  env: { FERRY_LOCK_MS: String(LOCK_MS), FERRY_INFLIGHT_GRACE_MS: '5000' },
  fixtures: { applicants: 80, faults: { captcha: false } },
});
const cases = () => enterableCases(ferry().fixtures.applicants);
let worker: FerryProcess | undefined;

describe('when Redis is not running as a worker and a trigger start', () => {
  it('says where Redis was expected, retries, and runs once Redis is up', async () => {
    const applicant = cases()[0];
    await ferry().redis.kill();
    const refused = (stderr: string) => stderr.includes(`Redis at ${describeRedisUrl(ferry().redis.url)} is not reachable (`);
    worker = spawnWorker(ferry().env);
    await waitFor('the worker to report Redis unreachable', () => refused(worker!.err()));
    // A one-shot command waits a few seconds only, so it starts once the worker is waiting.
    const run = spawnFerry(['run', RECIPE, '--input', JSON.stringify({ caseNo: applicant.caseNo }), '--wait'], ferry().env);
    await waitFor('the trigger to report Redis unreachable', () => refused(run.err()));
    await ferry().redis.restart();
    const [code] = await once(run, 'exit');
    expect(code).toBe(0);
    const outcome = JSON.parse(run.out().trim().split('\n').at(-1)!);
    await expectEnteredOnce(ferry(), [applicant], [outcome]);
  }, 120_000);
});

describe('when a one-shot command cannot reach Redis', () => {
  it('says "Redis at … is not reachable" and exits 2', async () => {
    const status = spawnFerry(['status'], { ...ferry().env, REDIS_URL: 'redis://127.0.0.1:1' });
    const [code] = await once(status, 'exit');
    expect(status.err()).toContain('Redis at redis://127.0.0.1:1 is not reachable');
    expect(code).toBe(2);
  }, 60_000);
});

describe('when Redis is killed while runs are in flight, and restarted from its AOF after the job locks lapsed', () => {
  it('the worker reconnects, and every record is entered exactly once', async () => {
    const batch = cases().slice(1, 5);
    await setFaults(ferry().fixtures.urls.medicalInsurance, { latencyMs: 300 });
    const jobIds = await Promise.all(batch.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
    await waitFor('runs in flight', async () => {
      const entries = await Promise.all(batch.map((applicant) => ferry().runtime.ledger.get(RECIPE, applicant.caseNo)));
      return entries.filter((entry) => IN_FLIGHT.includes(entry?.state as LedgerState)).length >= 2;
    });
    await ferry().redis.kill();
    await sleep(LOCK_MS + 2000);
    await ferry().redis.restart();
    const outcomes = await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
    await expectEnteredOnce(ferry(), batch, outcomes);
    expect(await stopWorker(worker!)).toBe(0);
  }, 150_000);
});
