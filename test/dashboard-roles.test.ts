/**
 * The dashboard's access rules over HTTP, table-driven: every route for every role
 * (anonymous, staff, ops, admin), and logging out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../runner/access/users.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useDashboard } from './support/dashboard.ts';
import { useFerry } from './support/ferry.ts';

type Who = 'anonymous' | Role;
const ROLES: Role[] = ['staff', 'ops', 'admin'];
const PASSWORD = 'a-long-test-password';
const RUN = 'flexible-worker-enrollment__SL2026000000001';
const TASK = `${RUN}~permitNo`;
const BATCH = 'no-such-batch';

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
  ['GET', '/tasks', 'staff'],
  ['GET', `/tasks/${TASK}`, 'staff'],
  ['GET', `/tasks/${TASK}/image`, 'staff'],
  ['POST', `/tasks/${TASK}/answer`, 'staff'],
  ['GET', '/batches', 'staff'],
  ['POST', '/batches', 'staff'],
  ['GET', '/batches/template/flexible-worker-enrollment', 'staff'],
  ['GET', `/batches/${BATCH}`, 'staff'],
  ['POST', `/batches/${BATCH}/queue`, 'staff'],
  ['GET', `/batches/${BATCH}/result`, 'staff'],
  ['GET', `/api/batches/${BATCH}`, 'staff'],
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
  ['GET', '/overview/canary/medical-insurance/0.png', 'ops'],
  ['POST', '/overview/bots/medical-insurance/resume', 'ops'],
  ['GET', '/audit', 'admin'],
  ['GET', '/api/audit', 'admin'],
  ['GET', '/users', 'admin'],
  ['GET', '/api/users', 'admin'],
  ['POST', '/users', 'admin'],
  ['POST', '/users/nobody/role', 'admin'],
  ['POST', '/users/nobody/password', 'admin'],
  ['POST', '/users/nobody/delete', 'admin'],
  ['GET', '/alerts', 'admin'],
  ['POST', '/alerts/channels', 'admin'],
  ['POST', '/alerts/channels/nobody/test', 'admin'],
  ['POST', '/alerts/channels/nobody/remove', 'admin'],
  ['POST', '/alerts/rules/needs-review', 'admin'],
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
const dashboard = useDashboard(ferry, { people: Object.fromEntries(ROLES.map((role) => [`${role}-user`, { role, password: PASSWORD }])) });
const clients: Partial<Record<Who, Client>> = {};

beforeAll(async () => {
  clients.anonymous = new Client(dashboard().url);
  await clients.anonymous.page('/login');
  for (const role of ROLES) {
    clients[role] = new Client(dashboard().url);
    expect((await clients[role]!.logIn(`${role}-user`, PASSWORD)).status).toBe(303);
  }
});

describe('the role matrix', () => {
  it('lists every route the dashboard serves', async () => {
    const listed = ROUTES.map(([method, path]) => `${method} ${path.replace(TASK, ':id').replace(RUN, ':id').replace(BATCH, ':id').replace('/template/flexible-worker-enrollment', '/template/:recipe').replace('/nobody/', '/:name/').replace('medical-insurance.png', ':file').replace('/canary/medical-insurance/0.png', '/canary/:bot/:problem.png').replace('/rules/needs-review', '/rules/:rule').replace('/bots/medical-insurance/', '/bots/:bot/')}`);
    expect(servedRoutes(dashboard().app.printRoutes({ commonPrefix: false })).sort()).toEqual([...new Set(listed)].sort());
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
