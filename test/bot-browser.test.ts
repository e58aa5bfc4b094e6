/**
 * What a bot declares about its browser reaches every context it gets, also after the
 * context is recycled (`FERRY_CONTEXT_MAX_RUNS=1`: every run after the first gets a fresh
 * one): context options, timeouts, routes, HTTP-auth credentials from the secret store, a
 * logged-out check that reads the page, the dialog guard and evidence on popups, and how long
 * an idle session is kept.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SessionSlots } from '../runner/browser/session-slots.ts';
import { evidenceStoreFor } from '../runner/evidence/evidence-store.ts';
import { useFerry } from './support/ferry.ts';
import { PROBE_ACCOUNT, useProbeSystem } from './support/probe-system.ts';
import { logInToProbe, probeBot, probeRecipe, type ProbeSeen } from './support/probe-bot.ts';
import { countLogins, useRecipeWorker } from './support/recipe-worker.ts';
import { waitFor } from './support/wait.ts';

const ferry = useFerry({ workers: 0, fixtures: { applicants: 20 }, env: { FERRY_CONTEXT_MAX_RUNS: '1' } });
const worker = useRecipeWorker(ferry);
const probe = useProbeSystem();
const gated = useProbeSystem({ basic: { username: 'gateway', password: 'gw-secret' } });

const runAll = async (recipe: Parameters<typeof worker.trigger>[0], nos: string[]) => {
  const outcomes = [];
  for (const no of nos) outcomes.push(await ferry().outcome(await worker.trigger(recipe, { no })));
  return outcomes;
};

describe('a bot that declares its context options, timeouts and routes', () => {
  it('gets them in every context, also in each recycled one, without logging in again', async () => {
    let routed = 0;
    const counted = countLogins(probeBot('probe-needs', {
      browser: {
        context: { timezoneId: 'America/New_York', locale: 'en-US', userAgent: 'FerryProbe/1.0', extraHTTPHeaders: { 'x-ferry-bot': 'probe-needs' } },
        timeouts: { action: 3000, navigation: 5000 },
        routes: async (context) => {
          routed++;
          await context.route('**/routed', (route) => route.fulfill({ contentType: 'text/plain', body: 'answered by the bot\'s route' }));
        },
      },
    }));
    await ferry().runtime.credentials.set('probe-needs', PROBE_ACCOUNT);
    const seen: ProbeSeen[] = [];
    const recipe = probeRecipe('probe-needs', counted.bot, 'seen', seen);
    await worker.start([recipe], { 'probe-needs': probe().url });

    const outcomes = await runAll(recipe, ['n1', 'n2', 'n3']);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['DONE', 'DONE', 'DONE']);
    expect(seen).toHaveLength(3);
    for (const one of seen) {
      expect(one).toEqual({
        bot: 'probe-needs', userAgent: 'FerryProbe/1.0', basicUser: null, timeZone: 'America/New_York', language: 'en-US', routed: 'answered by the bot\'s route',
      });
    }
    expect(routed).toBe(3);
    expect(counted.logins()).toBe(1);
  }, 180_000);

  it('keeps Ferry\'s defaults when it declares nothing: zh-CN and Asia/Shanghai', async () => {
    const seen: ProbeSeen[] = [];
    await ferry().runtime.credentials.set('probe-plain', PROBE_ACCOUNT);
    const recipe = probeRecipe('probe-plain', probeBot('probe-plain', {
      browser: { routes: (context) => context.route('**/routed', (route) => route.fulfill({ body: '' })) },
    }), 'seen', seen);
    await worker.start([recipe], { 'probe-plain': probe().url });
    expect(await runAll(recipe, ['p1'])).toMatchObject([{ state: 'DONE' }]);
    expect(seen[0]).toMatchObject({ bot: null, timeZone: 'Asia/Shanghai', language: 'zh-CN' });
  }, 120_000);
});

describe('a system behind HTTP Basic auth with a log-in form of its own', () => {
  it('is answered with the stored HTTP account, the form with the main one, also after recycling', async () => {
    await ferry().runtime.credentials.set('probe-gated', PROBE_ACCOUNT);
    await ferry().runtime.credentials.setHttp('probe-gated', { username: 'gateway', password: 'gw-secret' });
    const counted = countLogins(probeBot('probe-gated', {
      login: { form: logInToProbe, http: true },
      browser: { routes: (context) => context.route('**/routed', (route) => route.fulfill({ body: '' })) },
    }));
    const seen: ProbeSeen[] = [];
    const recipe = probeRecipe('probe-gated', counted.bot, 'seen', seen);
    await worker.start([recipe], { 'probe-gated': gated().url });
    expect((await runAll(recipe, ['g1', 'g2'])).map((outcome) => outcome.state)).toEqual(['DONE', 'DONE']);
    expect(seen.map((one) => one.basicUser)).toEqual(['gateway', 'gateway']);
    expect(counted.logins()).toBe(1);
  }, 120_000);
});

describe('a system that logs out in place (a 200 page saying 会话已超时 at the same URL)', () => {
  it('is noticed by the bot\'s async check reading the page, logged in again, and the run is entered once', async () => {
    await ferry().runtime.credentials.set('probe-timeout', PROBE_ACCOUNT);
    const counted = countLogins(probeBot('probe-timeout', {
      browser: { timeouts: { action: 5000 }, routes: (context) => context.route('**/routed', (route) => route.fulfill({ body: '' })) },
    }));
    const seen: ProbeSeen[] = [];
    const recipe = probeRecipe('probe-timeout', counted.bot, 'seen', seen);
    await worker.start([recipe], { 'probe-timeout': probe().url });
    expect(await runAll(recipe, ['t1'])).toMatchObject([{ state: 'DONE' }]);

    probe().expireSessions();
    const [outcome] = await runAll(recipe, ['t2']);
    expect(outcome).toMatchObject({ state: 'DONE', receipt: 'R-t2', created: true });
    expect(counted.logins()).toBe(2);
    expect(seen).toHaveLength(2);
    expect((await ferry().runtime.ledger.get('probe-timeout', 't2'))?.state).toBe('DONE');
  }, 120_000);
});

describe('a popup window a step opens', () => {
  it('is guarded for dialogs like the bot\'s page, and its screenshot and HTML are kept as evidence', async () => {
    await ferry().runtime.credentials.set('probe-picker', PROBE_ACCOUNT);
    const recipe = probeRecipe('probe-picker', probeBot('probe-picker'), 'picker');
    await worker.start([recipe], { 'probe-picker': probe().url });
    const [outcome] = await runAll(recipe, ['w1']);
    expect(outcome.state).toBe('FAILED');
    expect(outcome.reason).toMatch(/^unexpected alert dialog: 请先选择一条记录 · Not retried: a bug in the recipe or bot code/);

    const entry = await ferry().runtime.ledger.get('probe-picker', 'w1');
    const evidence = evidenceStoreFor(ferry().runtime.config, ferry().runtime.secrets, ferry().runtime.log);
    const files = await evidence.files(entry!.evidence!);
    expect(files).toEqual(expect.arrayContaining(['probe-picker.png', 'probe-picker.html', 'probe-picker-popup-1.png', 'probe-picker-popup-1.html']));
    expect((await evidence.read(entry!.evidence!, 'probe-picker-popup-1.html'))!.toString('utf8')).toContain('人员选择窗口');
    expect((await evidence.read(entry!.evidence!, 'probe-picker.html'))!.toString('utf8')).toContain('选择人员');
  }, 120_000);
});

describe('two bots with different idle times, each left idle after a run', () => {
  it('closes the brief one\'s session after its idle time and keeps the patient one\'s, its slot still held', async () => {
    const slots = new SessionSlots(ferry().runtime.redis, ferry().runtime.keys);
    const routes = (context: BrowserContext) => context.route('**/routed', (route) => route.fulfill({ body: '' }));
    const brief = probeRecipe('probe-brief', probeBot('probe-brief', { browser: { idleMs: 1_500, routes } }), 'seen');
    const patient = probeRecipe('probe-patient', probeBot('probe-patient', { browser: { idleMs: 120_000, routes } }), 'seen');
    for (const id of ['probe-brief', 'probe-patient']) await ferry().runtime.credentials.set(id, PROBE_ACCOUNT);
    await worker.start([brief, patient], { 'probe-brief': probe().url, 'probe-patient': probe().url });
    expect(await runAll(patient, ['i1'])).toMatchObject([{ state: 'DONE' }]);
    expect(await runAll(brief, ['i2'])).toMatchObject([{ state: 'DONE' }]);
    await waitFor('the brief bot\'s idle session to close', async () => (await slots.holders('probe-brief')).length === 0);
    expect(await slots.holders('probe-patient')).toHaveLength(1);
  }, 120_000);
});
