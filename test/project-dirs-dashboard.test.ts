/**
 * The overview warns ops about recipe files that did not load, naming each file and its
 * error; the recipes that did load, this repository's and a project dir's, are shown as usual.
 * In-process, so the project dir's `ferry` imports resolve through vitest's alias.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore } from '../runner/access/users.ts';
import { parseConfig } from '../runner/config.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { makeProjectDir, MIXED_PROJECT } from './support/project-dir.ts';
import { useRedis } from './support/redis.ts';

const redis = useRedis();
const project = makeProjectDir(MIXED_PROJECT);
const dataDir = mkdtempSync(join(tmpdir(), 'ferry-data-'));
let runtime: Runtime;
let dashboard: RunningDashboard;

beforeAll(async () => {
  runtime = await openRuntime(parseConfig({
    REDIS_URL: redis().url, FERRY_DATA_DIR: dataDir, FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
    FERRY_NAMESPACE: `t-${randomBytes(4).toString('hex')}`, FERRY_PROJECT_DIRS: project, FERRY_LOG_LEVEL: 'silent',
  }), { role: 'test' });
  const users = new UserStore(runtime.redis, runtime.keys);
  await users.add('opsy', 'ops', 'ops-password-1', 'test');
  await users.add('clerk', 'staff', 'clerk-password-1', 'test');
  dashboard = await startDashboard(runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await runtime?.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** A signed-in client of the dashboard. */
async function signedIn(name: string, password: string): Promise<DashboardClient> {
  const client = new DashboardClient(dashboard.url);
  expect((await client.logIn(name, password)).status).toBe(303);
  return client;
}

describe('when a project dir holds recipe files that did not load', () => {
  it('the overview lists each broken file with its error for ops, next to the recipes that loaded', async () => {
    const html = await (await signedIn('opsy', 'ops-password-1')).page('/overview');
    const warning = html.slice(html.indexOf('broken-recipes'), html.indexOf('</section>', html.indexOf('broken-recipes')));
    expect(warning).toContain('未能加载的事项');
    expect(warning).toContain(join(project, 'recipes', 'broken-import.ts'));
    expect(warning).toContain(join(project, 'recipes', 'bad-id.ts'));
    expect(warning).toContain('must default-export a recipe with id &quot;bad-id&quot;');
    expect(warning).toContain('some-package-not-installed');
    expect(html).toContain('data-recipe="tiny-copy"');
    expect(html).toContain('data-recipe="flexible-worker-enrollment"');
  });

  it('/api/overview carries them too', async () => {
    const response = await (await signedIn('opsy', 'ops-password-1')).send('GET', '/api/overview');
    const overview = await response.json();
    expect(overview.status.brokenRecipes.map((broken: { id: string }) => broken.id)).toEqual(['bad-id', 'broken-import']);
  });

  it('staff, who may not see the overview, are not shown it', async () => {
    const response = await (await signedIn('clerk', 'clerk-password-1')).send('GET', '/overview');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('broken-import');
  });
});
