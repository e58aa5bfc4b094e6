/**
 * What is outside Ferry going wrong, with real `ferry worker` processes: a Chromium that
 * cannot start, a wrong FERRY_SECRET_KEY, a target system that is unreachable (its circuit
 * opens and the run waits). Each says what is wrong, and no record is lost or entered twice.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';
import { spawnWorker, stopWorker } from '../cli/ferry-process.ts';

const RECIPE = 'flexible-worker-enrollment';
const BOT = 'medical-insurance';
/** A port that was free a moment ago and that nothing listens on now. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const CLOSED = `http://127.0.0.1:${await closedPort()}`;
const ferry = useFerry({
  workers: 0,
  env: { FERRY_ATTEMPTS: '2', FERRY_URL_MEDICAL_INSURANCE: CLOSED },
  fixtures: { applicants: 100, faults: { captcha: false } },
});

describe('a worker that cannot start', () => {
  it.each<{ what: string; env: Record<string, string>; says: RegExp }>([
    { what: 'Chromium is missing', env: { CHROMIUM_PATH: '/nonexistent/chromium' }, says: /\/nonexistent\/chromium.*apt-get install chromium.*CHROMIUM_PATH/ },
    { what: 'FERRY_SECRET_KEY is not the key the logins were stored with', env: { FERRY_SECRET_KEY: randomBytes(32).toString('hex') }, says: /FERRY_SECRET_KEY .*is not the key they were stored with/ },
  ])('exits 2 when $what, saying how to fix it, and the queued job stays queued', async ({ env, says }) => {
    const caseNo = enterableCases(ferry().fixtures.applicants)[0].caseNo;
    const jobId = await ferry().trigger(RECIPE, { caseNo });
    const result = await runFerry(['worker'], { ...ferry().env, ...env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await ferry().runtime.queue.getJobState(jobId)).toBe('waiting');
  });
});

describe('when the target system is unreachable', () => {
  it('opens its circuit and holds the run, spending no attempt and submitting nothing; once the target is back a probe closes it and the run enters it once', async () => {
    const { runtime } = ferry();
    const applicant = enterableCases(ferry().fixtures.applicants)[0];
    const jobId = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
    const cut = spawnWorker(ferry().env);
    try {
      await waitFor('the circuit to open', async () => (await runtime.circuits.get(BOT)).state === 'open', 120_000);
      await waitFor('the run to be held', async () => (await runtime.queue.getJobState(jobId)) === 'delayed', 60_000);
    } finally {
      await stopWorker(cut);
    }
    expect(await runtime.circuits.get(BOT)).toMatchObject({ state: 'open', reason: expect.stringContaining('net::ERR_CONNECTION_REFUSED') });
    expect((await runtime.queue.getJob(jobId))?.attemptsMade).toBe(0);
    expect((await runtime.ledger.get(RECIPE, applicant.caseNo))?.state).not.toBe('DONE');
    expect((await targetRowsById(ferry().fixtures.urls.medicalInsurance)).has(applicant.idNumber)).toBe(false);

    const back = spawnWorker({ ...ferry().env, FERRY_URL_MEDICAL_INSURANCE: ferry().fixtures.urls.medicalInsurance });
    try {
      expect(await ferry().outcome(jobId)).toMatchObject({ state: 'DONE' });
    } finally {
      await stopWorker(back);
    }
    expect((await runtime.circuits.get(BOT)).state).toBe('closed');
    expect((await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber)).toHaveLength(1);
  }, 300_000);
});
