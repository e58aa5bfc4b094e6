/**
 * The dashboard while Redis is away: pages and the JSON API answer 503 in the visitor's
 * language instead of hanging, whether Redis died (the connection drops) or froze (the
 * connection stays open but nothing answers); once Redis is back, the same session works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore } from '../runner/access/users.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';
import { waitFor } from './support/wait.ts';

const ferry = useFerry({ workers: 0, fixtures: { applicants: 20 } });
const PASSWORD = 'ops-password-for-outage';
let dashboard: RunningDashboard;
let ops: DashboardClient;

beforeAll(async () => {
  await new UserStore(ferry().runtime.redis, ferry().runtime.keys).add('opsy', 'ops', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
  ops = new DashboardClient(dashboard.url, { 'accept-language': 'en' });
  expect((await ops.logIn('opsy', PASSWORD)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
});

const chinese = () => new DashboardClient(dashboard.url, { 'accept-language': 'zh-CN,zh;q=0.9' });

describe('when Redis is killed', () => {
  it('pages answer 503 in the visitor\'s language, and the API 503 JSON', async () => {
    await ferry().redis.kill();
    const page = await ops.send('GET', '/overview');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Ferry cannot reach its data store (Redis) right now');
    const login = await chinese().send('GET', '/login');
    expect(login.status).toBe(503);
    expect(await login.text()).toContain('摆渡暂时连不上它的数据存储（Redis）');
    const api = await ops.send('GET', '/api/overview');
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: 'redis-unavailable' });
  });

  it('once Redis is back from its AOF, the same session sees the page again', async () => {
    await ferry().redis.restart();
    await waitFor('the dashboard to answer again', async () => (await ops.send('GET', '/overview')).status === 200);
  });
});

describe('when Redis freezes with the connection open', () => {
  it('a page answers 503 instead of hanging, and works again once Redis thaws', async () => {
    ferry().redis.freeze();
    try {
      const page = await ops.send('GET', '/overview');
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('Briefly unavailable');
    } finally {
      ferry().redis.thaw();
    }
    await waitFor('the dashboard to answer again', async () => (await ops.send('GET', '/overview')).status === 200);
  });
});
