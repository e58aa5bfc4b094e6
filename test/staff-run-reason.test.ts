/**
 * What a clerk reads on the run page when ops discarded a REJECTED run: the real reason the
 * data was refused, not "the system did not respond normally".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore } from '../runner/access/users.ts';
import { defectiveCases } from '../fixtures/cases.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'reason-test-password-1';
const ferry = useFerry({ fixtures: { applicants: 120, faults: { captcha: false } } });
let dashboard: RunningDashboard;

beforeAll(async () => {
  const users = new UserStore(ferry().runtime.redis, ferry().runtime.keys);
  await users.add('clerk', 'staff', PASSWORD, 'test');
  await users.add('opsy', 'ops', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('a REJECTED run that ops discarded', () => {
  it('shows the clerk the reason the data was refused', async () => {
    const clerk = new Client(dashboard.url);
    await clerk.logIn('clerk', PASSWORD);
    const triggered = await clerk.send('POST', '/staff/runs', { recipe: RECIPE, key: defectiveCases(ferry().fixtures.applicants)[0].caseNo });
    const runId = decodeURIComponent(triggered.headers.get('location')!.split('/').pop()!);
    const outcome = await ferry().outcome(runId);
    expect(outcome.state).toBe('REJECTED');

    const ops = new Client(dashboard.url);
    await ops.logIn('opsy', PASSWORD);
    await ops.page(`/ops/runs/${runId}`);
    expect((await ops.send('POST', `/ops/runs/${runId}/discard`, { note: '申请人资料有误，已退回窗口' })).status).toBe(303);

    const html = await clerk.page(`/staff/runs/${runId}`);
    expect(html).toContain('data-state="DISCARDED"');
    expect(html).toContain(`<p class="reason">${escaped(outcome.reason!)}</p>`);
    expect(html).not.toContain('没有正常响应');
    expect(html).toContain('申请人资料有误，已退回窗口');
  });
});
