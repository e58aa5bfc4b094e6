/**
 * The circuit breaker per bot, against the real fixture: the department changes the bot's
 * password; after two refused logins the bot is paused on every worker, the account's
 * lockout (five wrong passwords) is never reached, its runs wait without failing, ops are told
 * once, and once the new password is stored with `ferry secrets set` the waiting runs go in,
 * once each. A system that answers 500 on its log-in page opens the circuit for a back-off, and
 * a probe closes it once the system answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { expireFixtureSessions } from '../fixtures/control.ts';
import { FIXTURE_ACCOUNTS } from '../fixtures/data/accounts.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { startAlerting, type Alerting } from '../runner/alerts/alerting.ts';
import { useAlertReceivers } from './support/alert-receivers.ts';
import { runFerry } from './support/ferry-cli.ts';
import { fixtureRecords, setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const BOT = 'medical-insurance';
const NEW_PASSWORD = 'Yb@2026reset';
const ferry = useFerry({ concurrency: 2, fixtures: { applicants: 60, faults: { captcha: false } } });
const receivers = useAlertReceivers();
let alerting: Alerting;

beforeAll(async () => {
  await ferry().runtime.alerts.setChannel('ops-hook', { kind: 'webhook', url: `${receivers().httpUrl}/hook` });
  alerting = await startAlerting(ferry().runtime, { roundMs: 3_600_000, retryDelayMs: 100 });
});
afterAll(() => alerting?.close());

const wrongPasswords = async () => (await fixtureRecords<{ wrongPasswords: number }>(ferry().fixtures.urls.medicalInsurance)).wrongPasswords;
const rowsOf = async (idNumber: string) => (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(idNumber) ?? [];

describe('a system that answers 500 on its log-in page', () => {
  it('opens the circuit for a back-off, and a probe closes it once the system answers again', async () => {
    const { runtime } = ferry();
    const applicant = enterableCases(ferry().fixtures.applicants)[5];
    // First in the file: no lane is logged in yet, so the run's first login meets the 500.
    await setFaults(ferry().fixtures.urls.medicalInsurance, { errorRate: 1 });
    const run = await ferry().trigger(RECIPE, { caseNo: applicant.caseNo });
    await waitFor('the circuit to open', async () => (await runtime.circuits.get(BOT)).state === 'open', 180_000);
    await setFaults(ferry().fixtures.urls.medicalInsurance, { errorRate: 0 });
    expect(await ferry().outcome(run)).toMatchObject({ state: 'DONE' });
    expect((await runtime.circuits.get(BOT)).state).toBe('closed');
    expect(await rowsOf(applicant.idNumber)).toHaveLength(1);
  }, 600_000);
});

describe('a bot whose password the department changed', () => {
  it('pauses after two refusals, never reaches the lockout, tells ops once, and goes on once the new password is stored', async () => {
    const { runtime, env } = ferry();
    await setFaults(ferry().fixtures.urls.medicalInsurance, { accountPassword: NEW_PASSWORD });
    // The lanes logged in by the test before must log in again, with the old password.
    await expireFixtureSessions(ferry().fixtures.urls);
    await runtime.credentials.setMain(BOT, FIXTURE_ACCOUNTS.medicalInsurance);
    const cases = enterableCases(ferry().fixtures.applicants).slice(0, 3);
    const runs = await Promise.all(cases.map((a) => ferry().trigger(RECIPE, { caseNo: a.caseNo })));

    await waitFor('the bot to pause', async () => (await runtime.circuits.get(BOT)).state === 'paused', 180_000);
    const history = runtime.history;
    await waitFor('every run to wait for the bot', async () => {
      const found = await Promise.all(runs.map((id) => history.get(id)));
      return found.every((run) => run?.run.state === 'QUEUED' && run.events.at(-1)?.kind === 'paused');
    }, 180_000);
    expect(await wrongPasswords()).toBe(2);
    for (const id of runs) expect(await runtime.queue.getJobState(id)).toBe('delayed');

    expect(await alerting.round()).toMatchObject({ firing: 1 });
    expect(await alerting.round()).toMatchObject({ firing: 0 });
    await waitFor('the alert', () => receivers().received.some((message) => message.title.includes('登录被拒绝')));
    expect((await runFerry(['status'], env)).stdout).toContain(`PAUSED ${BOT} (医保经办系统): medical-insurance refused the account: 用户名或密码错误`);

    const stored = await runFerry(['secrets', 'set', BOT, '--user', FIXTURE_ACCOUNTS.medicalInsurance.username], env, 120_000, `${NEW_PASSWORD}\n`);
    expect([stored.code, stored.stderr]).toEqual([0, expect.stringContaining('logins resume')]);
    const outcomes = await Promise.all(runs.map((id) => ferry().outcome(id)));
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['DONE', 'DONE', 'DONE']);
    for (const a of cases) expect(await rowsOf(a.idNumber)).toHaveLength(1);
    expect(await wrongPasswords()).toBe(0);
    expect(await alerting.round()).toMatchObject({ resolved: 1 });
  }, 600_000);
});
