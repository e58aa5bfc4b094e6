/**
 * The dashboard's access rules over HTTP, table-driven: every route for every role
 * (anonymous, staff, ops, admin), plus the session cookie, the idle timeout, the
 * language choice, the metrics token, and the user store's password checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore, type Role } from '../runner/access/users.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';

type Who = 'anonymous' | Role;
const ROLES: Role[] = ['staff', 'ops', 'admin'];
const PASSWORD = 'a-long-test-password';
const RUN = 'flexible-worker-enrollment__SL2026000000001';

/** Every route with the least role that may use it. */
const ROUTES: [method: 'GET' | 'POST', path: string, least: Role | 'public'][] = [
  ['GET', '/', 'staff'],
  ['GET', '/login', 'public'],
  ['POST', '/login', 'public'],
  ['POST', '/lang', 'public'],
  ['GET', '/metrics', 'public'],
  ['GET', '/static/style.css', 'public'],
  ['GET', '/staff', 'staff'],
  ['POST', '/staff/runs', 'staff'],
  ['GET', `/staff/runs/${RUN}`, 'staff'],
  ['GET', `/api/runs/${RUN}`, 'staff'],
  ['POST', '/logout', 'staff'],
  ['GET', '/ops', 'ops'],
  ['GET', '/api/ops/runs', 'ops'],
  ['POST', '/ops/retry-bulk', 'ops'],
  ['GET', `/ops/runs/${RUN}`, 'ops'],
  ['GET', `/ops/runs/${RUN}/evidence/medical-insurance.png`, 'ops'],
  ['POST', `/ops/runs/${RUN}/retry`, 'ops'],
  ['POST', `/ops/runs/${RUN}/resolve`, 'ops'],
  ['POST', `/ops/runs/${RUN}/discard`, 'ops'],
  ['GET', '/overview', 'ops'],
  ['GET', '/api/overview', 'ops'],
  ['GET', '/audit', 'admin'],
  ['GET', '/api/audit', 'admin'],
  ['GET', '/users', 'admin'],
  ['GET', '/api/users', 'admin'],
  ['POST', '/users', 'admin'],
  ['POST', '/users/nobody/role', 'admin'],
  ['POST', '/users/nobody/password', 'admin'],
  ['POST', '/users/nobody/delete', 'admin'],
];

/** `METHOD /path` of every route the app serves (HEAD aside), read from Fastify's route tree. */
function servedRoutes(tree: string): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const path = depth === 0 ? match[2] : `${parents[depth - 1]}${match[2]}`;
    parents[depth] = path;
    for (const method of match[3].split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

const ferry = useFerry({ fixtures: { applicants: 150, faults: { captcha: false } }, workers: 0 });
let dashboard: RunningDashboard;
let users: UserStore;
const clients: Partial<Record<Who, Client>> = {};

beforeAll(async () => {
  const { runtime } = ferry();
  users = new UserStore(runtime.redis, runtime.keys);
  dashboard = await startDashboard(runtime, { port: 0 });
  clients.anonymous = new Client(dashboard.url);
  await clients.anonymous.page('/login');
  for (const role of ROLES) {
    await users.add(`${role}-user`, role, PASSWORD, 'test');
    clients[role] = new Client(dashboard.url);
    expect((await clients[role]!.logIn(`${role}-user`, PASSWORD)).status).toBe(303);
  }
});

afterAll(async () => {
  await dashboard?.close();
});

describe('the role matrix', () => {
  it('lists every route the dashboard serves', async () => {
    const listed = ROUTES.map(([method, path]) => `${method} ${path.replace(RUN, ':id').replace('/nobody/', '/:name/').replace('medical-insurance.png', ':file')}`);
    expect(servedRoutes(dashboard.app.printRoutes({ commonPrefix: false })).sort()).toEqual([...new Set(listed)].sort());
  });

  const cases = ROUTES.filter(([, path]) => path !== '/logout').flatMap(([method, path, least]) =>
    (['anonymous', ...ROLES] as Who[]).map((who) => ({ method, path, least, who })));
  it.each(cases)('$method $path as $who: allowed only from $least up', async ({ method, path, least, who }) => {
    const client = clients[who]!;
    const response = await client.send(method, path, method === 'POST' && path === '/login' ? { username: 'nobody', password: 'wrong-password' } : {});
    const allowed = least === 'public' || (who !== 'anonymous' && ROLES.indexOf(who) >= ROLES.indexOf(least));
    const json = path.startsWith('/api/');
    if (allowed) {
      expect(response.status).not.toBe(403);
      if (method === 'POST' && path === '/login') expect(response.status).toBe(401);
      else expect(response.status).not.toBe(401);
      expect(response.headers.get('location') ?? '').not.toMatch(/^\/login/);
    } else if (who === 'anonymous') {
      if (json) expect(response.status).toBe(401);
      else expect([response.status, response.headers.get('location')?.split('?')[0]]).toEqual([303, '/login']);
    } else {
      expect(response.status).toBe(403);
      if (json) expect(await response.json()).toMatchObject({ error: '403' });
      else expect(await response.text()).toContain('无权访问');
    }
  });

  it('lets each role log out, after which its cookie opens nothing', async () => {
    for (const role of ROLES) {
      const client = clients[role]!;
      expect((await client.send('POST', '/logout')).headers.get('location')).toBe('/login');
      expect((await client.send('GET', '/api/runs/x')).status).toBe(401);
    }
  });
});

describe('a page', () => {
  it('escapes what a user typed', async () => {
    await users.add('typing-user', 'staff', PASSWORD, 'test');
    const client = new Client(dashboard.url);
    await client.logIn('typing-user', PASSWORD);
    const response = await client.send('POST', '/staff/runs', { recipe: 'flexible-worker-enrollment', key: '"><script>alert(1)</script>' });
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)');
  });
});

describe('the session', () => {
  it('is an HttpOnly, SameSite=Strict cookie that lasts the idle timeout', async () => {
    const client = new Client(dashboard.url);
    await client.page('/login');
    const response = await client.send('POST', '/login', { username: 'staff-user', password: PASSWORD });
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
      await users.add('idle-user', 'staff', PASSWORD, 'test');
      const client = new Client(quick.url);
      await client.logIn('idle-user', PASSWORD);
      expect((await client.send('GET', '/staff')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await client.send('GET', '/staff')).headers.get('location')).toMatch(/^\/login/);
    } finally {
      await quick.close();
    }
  });

  it('starts afresh at log-in, so a session id planted before it is worth nothing after', async () => {
    await users.add('fixation-user', 'staff', PASSWORD, 'test');
    const client = new Client(dashboard.url);
    await client.page('/login');
    const planted = client.cookie;
    await client.logIn('fixation-user', PASSWORD);
    expect(client.cookie).not.toBe(planted);
    const victim = new Client(dashboard.url);
    victim.cookie = planted;
    expect((await victim.send('GET', '/staff')).status).toBe(303);
  });
});

describe('the language', () => {
  it('follows Accept-Language, and the toggle cookie overrides it', async () => {
    const english = new Client(dashboard.url, { 'accept-language': 'en-GB,en;q=0.8' });
    expect(await english.page('/login')).toContain('<h1>Log in</h1>');
    const toggled = await english.send('POST', '/lang', { lang: 'zh', back: '/login' });
    expect(toggled.headers.get('set-cookie')).toMatch(/lang=zh/);
    expect(await (await fetch(`${dashboard.url}/login`, { headers: { 'accept-language': 'en', cookie: 'lang=zh' } })).text()).toContain('<h1>登录</h1>');
  });
});

describe('/metrics with a token', () => {
  it('answers 401 without the bearer token and the metrics with it', async () => {
    const guarded = await startDashboard(ferry().runtime, { port: 0, metricsToken: 'scrape-secret' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
      expect(await scraped.text()).toContain('ferry_queue_jobs');
    } finally {
      await guarded.close();
    }
  });
});

describe('the user store', () => {
  it('accepts the right password only, for known names only', async () => {
    expect((await users.verify('staff-user', PASSWORD))?.role).toBe('staff');
    expect(await users.verify('staff-user', 'not-the-password')).toBeNull();
    expect(await users.verify('no-such-user', PASSWORD)).toBeNull();
  });

  it('keeps scrypt hashes, never the password, and refuses duplicates and short passwords', async () => {
    const stored = await ferry().runtime.redis.hgetall(ferry().runtime.keys.user('staff-user'));
    expect(stored.hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    await expect(users.add('staff-user', 'staff', PASSWORD, 'test')).rejects.toThrow('already exists');
    await expect(users.add('short-user', 'staff', 'short', 'test')).rejects.toThrow('at least 12');
    await expect(users.add('Bad Name', 'staff', PASSWORD, 'test')).rejects.toThrow('user name');
    await expect(users.add('role-user', 'root', PASSWORD, 'test')).rejects.toThrow('role');
  });
});
