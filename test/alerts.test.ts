/**
 * Alerts where ops already are: a DingTalk robot (signed), a WeCom robot, e-mail over a real
 * SMTP server and a webhook, all on 127.0.0.1. A run that goes to review is told once on every
 * channel, not again until the re-notify interval, and "resolved" once ops settle it; a nightly
 * sync not done by its deadline fires one alert and one "resolved"; a refused delivery is
 * retried; no message carries personal data; a channel's key never shows in an error; and
 * `ferry alerts` configures and tests a channel from the command line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import { findUnmaskedPersonalData } from '../runner/access/mask.ts';
import { sendTestAlert } from '../runner/alerts/alert-delivery.ts';
import { startAlerting, type Alerting } from '../runner/alerts/alerting.ts';
import { dayOf } from '../runner/run/stats.ts';
import { DINGTALK_SECRET, useAlertReceivers, WECOM_KEY, type Received } from './support/alert-receivers.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const ARCHIVE = 'residence-permit-archive';
const ferry = useFerry({ workers: 0, fixtures: { applicants: 40 } });
const receivers = useAlertReceivers();
const MINUTE = 60_000;
let alerting: Alerting;

beforeAll(async () => {
  const { alerts } = ferry().runtime;
  const { httpUrl, smtpUrl } = receivers();
  await alerts.setChannel('ops-dingtalk', { kind: 'dingtalk', url: `${httpUrl}/robot/send?access_token=robot-token`, secret: DINGTALK_SECRET });
  await alerts.setChannel('ops-wecom', { kind: 'wecom', url: `${httpUrl}/cgi-bin/webhook/send?key=${WECOM_KEY}` });
  await alerts.setChannel('ops-mail', { kind: 'email', smtp: smtpUrl, from: 'ferry@example.gov.cn', to: ['ops@example.gov.cn'] });
  await alerts.setChannel('ops-hook', { kind: 'webhook', url: `${httpUrl}/hook` });
  alerting = await startAlerting(ferry().runtime, { roundMs: 3_600_000, retryDelayMs: 100 });
});
// Registered after useFerry's, so it runs before Redis stops.
afterAll(() => alerting?.close());

const told = (rule: string, state: 'firing' | 'resolved') => (message: Received) =>
  message.title.includes(rule === 'needs-review' ? '待人工复核' : '定时同步') && message.title.includes(state === 'firing' ? '告警' : '已恢复');
const tally = (filter: (message: Received) => boolean) => receivers().received.filter(filter).map((message) => message.kind).sort();
const EVERY_CHANNEL = ['dingtalk', 'email', 'webhook', 'wecom'];

describe('a run that goes to review', () => {
  it('is told once on every channel, again only after the re-notify interval, and resolved once when ops settle it', async () => {
    const { runtime } = ferry();
    const { caseNo } = enterableCases(ferry().fixtures.applicants)[0];
    const claimed = await runtime.ledger.claim(RECIPE, caseNo, 'test/1');
    if (claimed.kind !== 'claimed') throw new Error(`not claimed: ${claimed.kind}`);
    await runtime.ledger.transition(claimed.claim, 'NEEDS_REVIEW', { reason: '保存后结果未知 (the save may have been stored)' }, { endLease: true });
    const now = Date.now();
    expect(await alerting.round(now)).toEqual({ firing: 1, resolved: 0 });
    await waitFor('the alert on every channel', () => tally(told('needs-review', 'firing')).length === 4);
    expect(tally(told('needs-review', 'firing'))).toEqual(EVERY_CHANNEL);
    const [ding] = receivers().received.filter((message) => message.kind === 'dingtalk');
    expect(ding.title).toContain('1 条待人工复核');

    expect(await alerting.round(now + MINUTE)).toEqual({ firing: 0, resolved: 0 });
    expect(await alerting.round(now + 241 * MINUTE)).toEqual({ firing: 1, resolved: 0 });
    await waitFor('the alert told again', () => tally(told('needs-review', 'firing')).length === 8);

    expect(await runtime.ledger.overrideFrom('NEEDS_REVIEW', RECIPE, caseNo, 'DISCARDED', { reason: 'ops discarded it' })).toBe(true);
    expect(await alerting.round(now + 242 * MINUTE)).toEqual({ firing: 0, resolved: 1 });
    expect(await alerting.round(now + 243 * MINUTE)).toEqual({ firing: 0, resolved: 0 });
    await waitFor('"resolved" on every channel', () => tally(told('needs-review', 'resolved')).length === 4);
    expect(tally(told('needs-review', 'resolved'))).toEqual(EVERY_CHANNEL);
  });
});

describe('a nightly sync with a deadline', () => {
  it('fires one alert when the deadline passes without the sync, and one "resolved" when it is done', async () => {
    const { runtime } = ferry();
    await runtime.alerts.updateRule('sync-deadline', { doneBy: { [ARCHIVE]: '06:00' } });
    const today = dayOf(new Date());
    const seven = Date.parse(`${today}T07:00:00+08:00`);
    // Before today's deadline, yesterday's counts: its sync never ran.
    expect(await alerting.round(Date.parse(`${today}T05:59:00+08:00`))).toEqual({ firing: 1, resolved: 0 });
    expect(await alerting.round(seven)).toEqual({ firing: 0, resolved: 0 });
    await runtime.syncState.recordSync(ARCHIVE, { slot: `${today}T02:30:00+08:00`, at: new Date(seven).toISOString(), state: 'done', since: today, listed: 0, skipped: 0, runs: 0 });
    expect(await alerting.round(seven + 5 * MINUTE)).toEqual({ firing: 0, resolved: 1 });
    await waitFor('the deadline alert and its recovery', () => tally(told('sync-deadline', 'resolved')).length === 4);
    expect(tally(told('sync-deadline', 'firing'))).toEqual(EVERY_CHANNEL);
    expect(tally(told('sync-deadline', 'resolved'))).toEqual(EVERY_CHANNEL);
  });
});

describe('delivery', () => {
  it('retries a robot that refuses, with back-off, until it takes the message', async () => {
    const before = receivers().received.length;
    receivers().refuseNext(2);
    const { runtime } = ferry();
    await runtime.alerts.updateRule('oldest-waiting', { minutes: 1, channels: ['ops-dingtalk'] });
    await runtime.queue.add('run', { recipe: RECIPE, input: {}, keyId: 'x', trigger: { via: 'cli', by: 'cli:test' } } as never, { jobId: 'alert-test-stuck' });
    expect(await alerting.round(Date.now() + 5 * MINUTE)).toMatchObject({ firing: 1 });
    await waitFor('the retried delivery', () => receivers().received.slice(before).some((message) => message.kind === 'dingtalk' && message.title.includes('排队')));
    expect(receivers().refusalsLeft()).toBe(0);
    expect(receivers().received.slice(before).map((message) => message.kind)).toEqual(['dingtalk']);
    await runtime.queue.remove('alert-test-stuck');
  });

  it('carries no personal data, and a refusal names the channel, never its key', async () => {
    // An e-mail's raw text holds ops' own addresses (From, To) and its body encoded: its subject says it all.
    for (const message of receivers().received) expect(findUnmaskedPersonalData(message.kind === 'email' ? message.title : message.raw)).toEqual([]);
    const { runtime } = ferry();
    await runtime.alerts.setChannel('wrong-key', { kind: 'wecom', url: `${receivers().httpUrl}/cgi-bin/webhook/send?key=not-the-key` });
    const refused = await sendTestAlert(runtime.alerts, 'wrong-key').then(() => null, (error: Error) => error.message);
    expect(refused).toContain('the WeCom robot refused the message: 93000');
    expect(refused).not.toContain('not-the-key');
    expect(JSON.stringify(await runtime.alerts.channels())).not.toMatch(/not-the-key|robot-token|SECtest/);
    expect(await runtime.redis.hget(runtime.keys.alertChannels(), 'ops-dingtalk')).not.toContain('robot-token');
  });
});

describe('`ferry alerts`', () => {
  it('stores a channel from JSON on standard input, sends it a test, shows it without its path, and refuses bad input plainly', async () => {
    const { env } = ferry();
    const hook = JSON.stringify({ url: `${receivers().httpUrl}/hook?token=cli-secret` });
    expect(await runFerry(['alerts', 'channel', 'set', 'cli-hook', '--kind', 'webhook'], env, 120_000, hook)).toMatchObject({ code: 0 });
    const before = receivers().received.length;
    expect(await runFerry(['alerts', 'test', 'cli-hook'], env)).toMatchObject({ code: 0 });
    expect(receivers().received.slice(before).map((message) => [message.kind, message.title.includes('cli-hook')])).toEqual([['webhook', true]]);
    const shown = await runFerry(['alerts', '--json'], env);
    expect(JSON.parse(shown.stdout).channels).toContainEqual({ id: 'cli-hook', kind: 'webhook', target: new URL(receivers().httpUrl).host });
    expect(shown.stdout).not.toContain('cli-secret');
    const badId = await runFerry(['alerts', 'channel', 'set', 'Bad_Id', '--kind', 'webhook'], env, 120_000, hook);
    expect([badId.code, badId.stderr]).toEqual([2, expect.stringContaining('lower-case letters')]);
    const badMinutes = await runFerry(['alerts', 'rule', 'oldest-waiting', '--minutes', 'soon'], env);
    expect([badMinutes.code, badMinutes.stderr]).toEqual([2, expect.stringContaining('--minutes must be a whole number')]);
  });
});
