/**
 * Ferry on a Redis with a replica and three sentinels (`redis+sentinel://`), with
 * FERRY_REDIS_MIN_REPLICAS=1: a start-up that names what the replication lacks; a run whose
 * ledger write no replica acknowledges is held without writing, then entered once; and the
 * primary SIGKILLed mid-batch, so the sentinels promote the replica, loses and doubles nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_NAME, SentinelTopology } from '../bench/topology/sentinel-topology.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { redisChecks } from '../cli/doctor-redis.ts';
import { parseConfig } from '../runner/config.ts';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { openRuntime } from '../runner/runtime.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
let topology: SentinelTopology | undefined;
beforeAll(async () => {
  topology = await SentinelTopology.start();
}, 120_000);
afterAll(() => topology?.close());

const ferry = useFerry({
  externalRedis: () => topology!.url, concurrency: 3,
  env: { FERRY_REDIS_MIN_REPLICAS: '1', FERRY_REDIS_REPLICA_WAIT_MS: '1000' },
  fixtures: { applicants: 120, faults: { captcha: false } },
});
const cases = () => enterableCases(ferry().fixtures.applicants);

describe('at start-up with FERRY_REDIS_MIN_REPLICAS', () => {
  it('refuses a primary with fewer replicas online than asked, or one that writes without any, naming what is off', async () => {
    const open = (env: Record<string, string>) => openRuntime(parseConfig({ ...ferry().env, ...env }), { role: 'test' }).then((runtime) => runtime.close());
    await expect(open({ FERRY_REDIS_MIN_REPLICAS: '2' })).rejects.toThrow(/1 replica\(s\) online, FERRY_REDIS_MIN_REPLICAS asks for 2/);
    await topology!.configurePrimary('min-replicas-to-write', '0');
    try {
      await expect(open({})).rejects.toThrow(/min-replicas-to-write is 0 \(set it to at least 1/);
    } finally {
      await topology!.configurePrimary('min-replicas-to-write', '1');
    }
    await expect(open({})).resolves.toBeUndefined();
  });

  it('ferry doctor reports the primary found through the sentinels and its replication, never a password', async () => {
    const checks = await redisChecks(parseConfig(ferry().env));
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    expect(byName['redis'].detail).toMatch(/^REDIS_URL redis\+sentinel:\/\/:\*\*\*@127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/ferry$/);
    expect(byName['redis reachable'].ok).toBe(true);
    expect(byName['redis durability']).toMatchObject({ ok: true, detail: 'appendonly yes, appendfsync always' });
    expect(byName['redis replicas']).toMatchObject({ ok: true });
    expect(JSON.stringify(checks)).not.toContain(topology!.password);
  });
});

describe('a replica that does not acknowledge', () => {
  it('holds the run without writing or spending an attempt, and the run enters its record once the replica is back', async () => {
    const [applicant] = cases();
    const history = ferry().runtime.history;
    await topology!.freezeReplica();
    let jobId: string;
    try {
      jobId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
      await waitFor('the run to be held for its replicas', async () => Boolean((await history.get(jobId))?.events.some((event) => event.kind === 'replicas')));
      expect((await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber)).toBeUndefined();
    } finally {
      await topology!.thawReplica();
    }
    const outcome = await ferry().outcome(jobId);
    await expectEnteredOnce(ferry(), [applicant], [outcome]);
    expect((await ferry().runtime.queue.getJob(jobId))?.attemptsMade).toBe(1);
  });
});

describe('the primary SIGKILLed mid-batch', () => {
  it('fails over to the replica, and every record is entered exactly once', async () => {
    const batch = cases().slice(1, 13);
    await setFaults(ferry().fixtures.urls.medicalInsurance, { latencyMs: 300 });
    const jobIds = await Promise.all(batch.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
    await waitFor('a record done and one in flight', async () => {
      const states = (await Promise.all(batch.map((applicant) => ferry().runtime.ledger.get(RECIPE, applicant.caseNo)))).map((entry) => entry?.state);
      return states.includes('DONE') && states.some((state) => IN_FLIGHT.includes(state as LedgerState));
    });
    const before = await topology!.primary();
    const promoted = await topology!.failOver();
    expect(promoted).not.toBe(before.name);
    expect(ferry().runtime.redisUrl).toContain(`/${MASTER_NAME}`);
    const outcomes = await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
    await expectEnteredOnce(ferry(), batch, outcomes);
  }, 300_000);
});
