/**
 * The embedded Redis killed with SIGKILL while runs are in flight: the process that started
 * it restarts it from its AOF and says so, a worker process on the same data dir carries on
 * once it is back, and every record is entered exactly once. The password shows in no log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';
import { enterableCases } from '../fixtures/cases.ts';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { redisOptions } from '../runner/redis/redis-url.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
const ferry = useFerry({
  workers: 0, embeddedRedis: true, env: { FERRY_LOCK_MS: '4000' },
  fixtures: { applicants: 40, faults: { captcha: false, medicalInsurance: { latencyMs: 300 } } },
});

describe('when the embedded Redis is killed with SIGKILL mid-run', () => {
  it('its owner restarts it from its AOF and says so, and the worker carries on: each record entered once', async () => {
    const batch = enterableCases(ferry().fixtures.applicants).slice(0, 4);
    const worker = spawnWorker(ferry().env);
    try {
      const jobIds = await Promise.all(batch.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
      await waitFor('a run in flight', async () => {
        const entries = await Promise.all(batch.map((applicant) => ferry().runtime.ledger.get(RECIPE, applicant.caseNo)));
        return entries.some((entry) => IN_FLIGHT.includes(entry?.state as LedgerState));
      });
      await ferry().redis.kill();
      await waitFor('the owner to say the embedded Redis is back', () => ferry().redisNotices.some((notice) => notice.includes('is back')));
      expect(ferry().redisNotices.join('\n')).toMatch(/the embedded Redis \(pid \d+\) stopped \(SIGKILL\); restarting it from its AOF/);
      const outcomes = await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
      await expectEnteredOnce(ferry(), batch, outcomes);
      const password = redisOptions(ferry().runtime.redisUrl).password!;
      const logs = readdirSync(join(ferry().env.FERRY_DATA_DIR, 'logs')).map((file) => readFileSync(join(ferry().env.FERRY_DATA_DIR, 'logs', file), 'utf8'));
      for (const text of [...logs, worker.err(), ...ferry().redisNotices]) expect(text).not.toContain(password);
    } finally {
      expect(await stopWorker(worker)).toBe(0);
    }
  }, 240_000);
});
