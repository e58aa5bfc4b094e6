/**
 * Logging in to the dashboard over HTTP: the way in without a session, the log-in limit,
 * the session cookie, the idle timeout, a fresh session at log-in, and the page's language.
 */
import { describe, expect, it } from 'vitest';
import { startDashboard } from '../dashboard/server.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { PEOPLE, useDashboard } from './support/dashboard.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry({ fixtures: { applicants: 150, faults: { captcha: false } }, workers: 0 });
const dashboard = useDashboard(ferry);
const url = (path: string) => dashboard().at(path);

describe('without a session', () => {
  it('GET / redirects to the log-in page', async () => {
    const home = await fetch(url('/'), { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toMatch(/^\/login/);
  });

  it('gets 429 after too many log-in attempts for one user, even with the right password', async () => {
    const login = await fetch(url('/login'));
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
    const attempt = (password: string) => fetch(url('/login'), {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, username: 'clerk2', password }),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt('wrong-password')).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const blocked = await attempt(PEOPLE.clerk2.password);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('尝试次数过多');
  });
});

describe('the session', () => {
  it('is an HttpOnly, SameSite=Strict cookie that lasts the idle timeout', async () => {
    const client = new Client(url(''));
    await client.page('/login');
    const response = await client.send('POST', '/login', { username: 'clerk', password: PEOPLE.clerk.password });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('ferry_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(expires - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 60_000);
  });

  it('ends after the idle timeout without a request', async () => {
    const quick = await startDashboard(ferry().runtime, { port: 0, idleMinutes: 0.03 });
    try {
      const client = new Client(quick.url);
      await client.logIn('clerk', PEOPLE.clerk.password);
      expect((await client.send('GET', '/staff')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await client.send('GET', '/staff')).headers.get('location')).toMatch(/^\/login/);
    } finally {
      await quick.close();
    }
  });

  it('starts afresh at log-in, so a session id planted before it is worth nothing after', async () => {
    const client = new Client(dashboard().url);
    await client.page('/login');
    const planted = client.cookie;
    await client.logIn('clerk', PEOPLE.clerk.password);
    expect(client.cookie).not.toBe(planted);
    const victim = new Client(dashboard().url);
    victim.cookie = planted;
    expect((await victim.send('GET', '/staff')).status).toBe(303);
  });
});

describe('the language', () => {
  it('follows Accept-Language, and the toggle cookie overrides it', async () => {
    const english = new Client(dashboard().url, { 'accept-language': 'en-GB,en;q=0.8' });
    expect(await english.page('/login')).toContain('<h1>Log in</h1>');
    const toggled = await english.send('POST', '/lang', { lang: 'zh', back: '/login' });
    expect(toggled.headers.get('set-cookie')).toMatch(/lang=zh/);
    expect(await (await fetch(url('/login'), { headers: { 'accept-language': 'en', cookie: 'lang=zh' } })).text()).toContain('<h1>登录</h1>');
  });
});
