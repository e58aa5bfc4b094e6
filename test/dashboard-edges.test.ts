/**
 * The dashboard's edges over HTTP and in a real Chromium: redirects that must stay on the
 * dashboard's origin, no server-side session for anonymous visitors, the limit on failed
 * log-ins (per user name and address, behind a proxy too), hostile form bodies, whose runs
 * a staff user sees when a CLI user has the same name, and a stop that a hanging client cannot hold.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAIN_MS, startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore } from '../runner/access/users.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { useBrowser } from './support/browser.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';
import { runFerry } from './support/ferry-cli.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'edges-test-password-1';
/** The OS user running this test: a staff user of the same name must not see its CLI runs. */
const OS_USER = userInfo().username;

const ferry = useFerry({ fixtures: { applicants: 60, faults: { captcha: false } }, concurrency: 1, env: { FERRY_ATTEMPTS: '2' } });
const browser = useBrowser();
let dashboard: RunningDashboard;
let users: UserStore;

beforeAll(async () => {
  users = new UserStore(ferry().runtime.redis, ferry().runtime.keys);
  for (const [name, role] of [['clerk', 'staff'], ['opsy', 'ops'], ['boss', 'admin'], [OS_USER, 'staff']] as const) await users.add(name, role, PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

const origin = () => new URL(dashboard.url).origin;

/** A page whose requests to evil.example are answered by "the other site", so an escape shows in its address. */
async function pageWithEvilSite(): Promise<Page> {
  const context = await browser().newContext({ locale: 'zh-CN' });
  await context.route((url) => url.hostname === 'evil.example', (route) => route.fulfill({ contentType: 'text/html', body: '<h1>evil</h1>' }));
  return context.newPage();
}

describe('a link from another site to //evil.example:9999/x', () => {
  it('reloads a page of this dashboard, never the other host', async () => {
    const bounced = await fetch(`${dashboard.url}//evil.example:9999/x`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    expect(await bounced.text()).not.toContain('evil.example');

    const page = await pageWithEvilSite();
    try {
      await page.setContent(`<a href="${dashboard.url}//evil.example:9999/x">link</a>`);
      await page.getByRole('link').click();
      await page.waitForURL((url) => url.pathname === '/login' || url.hostname === 'evil.example');
      expect(new URL(page.url()).origin).toBe(origin());
    } finally {
      await page.context().close();
    }
  });
});

describe('the page to go back to after log-in (?next=)', () => {
  /** Raw query values, as an attacker would put them in a link. */
  const bypasses = [
    '//evil.example:9999/x', '/%5Cevil.example:9999/x', '/%5C%5Cevil.example:9999/x', '%2F%2Fevil.example:9999/x',
    '/%09/evil.example:9999/x', '/%0A/evil.example:9999/x', '/%0D/evil.example:9999/x', '/%2F%2Fevil.example:9999/x',
    '/.//evil.example:9999/x', 'https://evil.example:9999/x', 'https:evil.example:9999/x', '%2F%5Cevil.example:9999/x',
    'javascript:alert(1)', '%09//evil.example:9999/x',
  ];

  it.each(bypasses)('next=%s answers with a location on this origin', async (raw) => {
    const client = new Client(dashboard.url);
    await client.page(`/login?next=${raw}`);
    const next = new URLSearchParams(`next=${raw}`).get('next')!;
    const response = await client.send('POST', '/login', { username: 'clerk', password: PASSWORD, next });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).not.toMatch(/[\t\n\r\\]/);
    expect(new URL(location, dashboard.url).origin).toBe(origin());
  });

  it.each(bypasses)('next=%s keeps Chromium on the dashboard after logging in', async (raw) => {
    const page = await pageWithEvilSite();
    try {
      await page.goto(`${dashboard.url}/login?next=${raw}`);
      await page.getByLabel('用户名').fill('clerk');
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => url.pathname !== '/login' || url.hostname === 'evil.example');
      expect(new URL(page.url()).origin).toBe(origin());
    } finally {
      await page.context().close();
    }
  });

  it('still takes a local page, with its query', async () => {
    const client = new Client(dashboard.url);
    await client.page('/login');
    const response = await client.send('POST', '/login', { username: 'opsy', password: PASSWORD, next: '/ops?reason=x' });
    expect(response.headers.get('location')).toBe('/ops?reason=x');
  });
});

describe('anonymous visitors', () => {
  const sessionKeys = async () => {
    const { redis, keys } = ferry().runtime;
    let count = 0;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys.session('*'), 'COUNT', 1000);
      cursor = next;
      count += found.length;
    } while (cursor !== '0');
    return count;
  };

  it('get no session in Redis, however many pages they open', async () => {
    const before = await sessionKeys();
    for (let i = 0; i < 300; i++) {
      const path = [`/no-such-page-${i}`, '/login', '/staff', `//evil.example/${i}`][i % 4];
      const response = await fetch(`${dashboard.url}${path}`, { redirect: 'manual' });
      expect(response.headers.getSetCookie().some((line) => line.startsWith('ferry_session='))).toBe(false);
    }
    const failed = new Client(dashboard.url);
    await failed.page('/login');
    expect((await failed.send('POST', '/login', { username: 'clerk', password: 'not-the-password' })).status).toBe(401);
    expect(await sessionKeys()).toBe(before);
  });

  it('still need the log-in form\'s CSRF token and its cookie', async () => {
    const client = new Client(dashboard.url);
    await client.page('/login');
    const withoutCookie = await fetch(`${dashboard.url}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: client.token, username: 'clerk', password: PASSWORD }),
    });
    expect(withoutCookie.status).toBe(403);
    client.token = 'forged';
    expect((await client.send('POST', '/login', { username: 'clerk', password: PASSWORD })).status).toBe(403);
  });
});

describe('the log-in limit', () => {
  const attempt = async (base: string, name: string, password: string, headers: Record<string, string> = {}) => {
    const client = new Client(base, headers);
    await client.page('/login');
    return (await client.send('POST', '/login', { username: name, password })).status;
  };

  it('counts failures only, per user name and address', async () => {
    await users.add('guessed', 'staff', PASSWORD, 'test');
    for (let i = 0; i < 12; i++) expect(await attempt(dashboard.url, 'boss', PASSWORD)).toBe(303);
    for (let i = 0; i < 10; i++) expect(await attempt(dashboard.url, 'guessed', 'wrong-password')).toBe(401);
    expect(await attempt(dashboard.url, 'guessed', PASSWORD)).toBe(429);
    expect(await attempt(dashboard.url, 'boss', PASSWORD)).toBe(303);
  });

  it('behind a trusted proxy, counts each forwarded client apart', async () => {
    await users.add('proxied', 'staff', PASSWORD, 'test');
    const proxied = await startDashboard(ferry().runtime, { port: 0, trustProxy: ['127.0.0.1'] });
    try {
      const from = (address: string) => ({ 'x-forwarded-for': address });
      for (let i = 0; i < 10; i++) expect(await attempt(proxied.url, 'proxied', 'wrong-password', from('10.0.0.1'))).toBe(401);
      expect(await attempt(proxied.url, 'proxied', PASSWORD, from('10.0.0.1'))).toBe(429);
      expect(await attempt(proxied.url, 'proxied', PASSWORD, from('10.0.0.2'))).toBe(303);
    } finally {
      await proxied.close();
    }
    // Without the setting, the header is not believed: every request comes from the proxy.
    for (let i = 0; i < 10; i++) expect(await attempt(dashboard.url, 'proxied', 'wrong-password', { 'x-forwarded-for': `10.0.1.${i}` })).toBe(401);
    expect(await attempt(dashboard.url, 'proxied', PASSWORD, { 'x-forwarded-for': '10.0.2.1' })).toBe(429);
  });
});

describe('a hostile form body', () => {
  /** Each route with one of its fields. */
  const routes = [
    ['/staff/runs', 'recipe'], ['/login', 'username'], ['/lang', 'back'], ['/users', 'password'], ['/users/clerk/role', 'role'],
    ['/ops/retry-bulk', 'reason'], ['/ops/runs/x/discard', 'note'], ['/ops/runs/x/resolve', 'receipt'],
  ];

  it.each(routes)('POST %s answers 400, never 500', async (route, field) => {
    const admin = new Client(dashboard.url);
    expect((await admin.logIn('boss', PASSWORD)).status).toBe(303);
    const hostile = [{ [field]: { toString: 1 } }, { [field]: ['a', 'b'] }, { [field]: { length: 1e9 } }, null, 'text', [1, 2]].map((body) => JSON.stringify(body));
    for (const body of hostile) {
      const response = await fetch(`${dashboard.url}${route}`, {
        method: 'POST', redirect: 'manual', body,
        headers: { cookie: `${admin.cookie}; ${admin.csrfCookie}`, 'content-type': 'application/json', 'x-csrf-token': admin.token },
      });
      expect([body, response.status]).toEqual([body, 400]);
    }
  });
});

describe('a staff user named like the OS user who triggers runs from the CLI', () => {
  it('sees only the runs they triggered in the dashboard', async () => {
    const [fromCli, fromDashboard] = enterableCases(ferry().fixtures.applicants).slice(0, 2).map((applicant) => applicant.caseNo);
    const cli = await runFerry(['run', RECIPE, '--input', JSON.stringify({ caseNo: fromCli })], ferry().env);
    expect(cli.code).toBe(0);
    const cliRun = JSON.parse(cli.stdout).run as string;
    expect((await ferry().outcome(cliRun)).state).toBe('DONE');

    const namesake = new Client(dashboard.url);
    await namesake.logIn(OS_USER, PASSWORD);
    const triggered = await namesake.send('POST', '/staff/runs', { recipe: RECIPE, key: fromDashboard });
    const ownRun = decodeURIComponent(triggered.headers.get('location')!.split('/').pop()!);
    expect((await ferry().outcome(ownRun)).state).toBe('DONE');

    const list = await namesake.page('/staff');
    expect(list).toContain(fromDashboard);
    expect(list).not.toContain(fromCli);
    expect((await namesake.send('GET', `/staff/runs/${cliRun}`)).status).toBe(404);
    expect((await namesake.send('GET', `/api/runs/${cliRun}`)).status).toBe(404);
    expect((await ferry().runtime.history.get(cliRun))?.run.by).toBe(`cli:${OS_USER}`);
  });
});

describe('stopping the dashboard while a client never finishes its request', () => {
  it('cuts that connection after the drain time, so the stop does not wait on the client', async () => {
    const second = await startDashboard(ferry().runtime, { port: 0 });
    const { port } = new URL(second.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /login HTTP/1.1\r\nHost: dashboard\r\n');
    const cut = once(socket, 'close');
    await second.close();
    await cut;
    expect(socket.destroyed).toBe(true);
    expect((await fetch(second.url).catch((error: Error) => error)) instanceof Error).toBe(true);
  }, DRAIN_MS + 25_000);
});
