/**
 * The dashboard end to end in a real Chromium against the fixture systems: each role's
 * journey (staff run a case, ops fix failures a fixture fault caused, admins manage users
 * and read the audit log), CSRF and log-in limits, the overview's figures, /metrics.
 * Screenshots of every page, desktop and narrow, go to dashboard/screenshots/.
 */
import { createServer, type Server } from 'node:http';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { AuditLog } from '../runner/access/audit.ts';
import { findUnmaskedPersonalData } from '../runner/access/mask.ts';
import { UserStore } from '../runner/access/users.ts';
import { useBrowser } from './support/browser.ts';
import { defectiveCases, enterableCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useFerry } from './support/ferry.ts';
import { setFaults } from './support/fixture-http.ts';

const RECIPE = 'flexible-worker-enrollment';
const SHOTS = join(import.meta.dirname, '..', 'dashboard', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };
const PASSWORDS = { clerk: 'clerk-password-1', clerk2: 'clerk-password-2', opsy: 'ops-password-1', boss: 'admin-password-1' };

const ferry = useFerry({ fixtures: { applicants: 150, faults: { captcha: false } }, concurrency: 1, env: { FERRY_ATTEMPTS: '2' } });
const browser = useBrowser();
let dashboard: RunningDashboard;
let audit: AuditLog;
const contexts: Record<'clerk' | 'opsy' | 'boss', BrowserContext> = {} as never;
const url = (path: string) => `${dashboard.url}${path}`;
const cases = () => enterableCases(ferry().fixtures.applicants);
const medicalInsurance = () => ferry().fixtures.urls.medicalInsurance;

beforeAll(async () => {
  const { runtime } = ferry();
  const users = new UserStore(runtime.redis, runtime.keys);
  await users.add('clerk', 'staff', PASSWORDS.clerk, 'test');
  await users.add('clerk2', 'staff', PASSWORDS.clerk2, 'test');
  await users.add('opsy', 'ops', PASSWORDS.opsy, 'test');
  await users.add('boss', 'admin', PASSWORDS.boss, 'test');
  audit = new AuditLog(runtime.redis, runtime.keys, join(runtime.config.dataDir, 'audit.log'));
  dashboard = await startDashboard(runtime, { port: 0 });
  for (const name of ['clerk', 'opsy', 'boss'] as const) {
    contexts[name] = await browser().newContext({ viewport: DESKTOP, locale: 'zh-CN', permissions: ['clipboard-read', 'clipboard-write'] });
  }
});

afterAll(async () => {
  for (const context of Object.values(contexts)) await context?.close();
  await dashboard?.close();
});

/** Checks the page shows no unmasked personal data, then saves it at both widths. */
async function shoot(page: Page, name: string): Promise<void> {
  expect(findUnmaskedPersonalData(await page.content())).toEqual([]);
  for (const [label, size] of [['desktop', DESKTOP], ['narrow', NARROW]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

async function logIn(name: keyof typeof contexts): Promise<Page> {
  const page = await contexts[name].newPage();
  await page.goto(url('/login'));
  if (!page.url().includes('/login')) return page;
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(PASSWORDS[name]);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((address) => !address.pathname.startsWith('/login'));
  return page;
}

async function runCase(page: Page, caseNo: string): Promise<void> {
  await page.goto(url('/staff'));
  await page.getByLabel('事项').selectOption({ label: ferry().runtime.recipes.get(RECIPE).title });
  await page.getByLabel('受理编号').fill(caseNo);
  await page.getByRole('button', { name: '开始录入' }).click();
}

/** Reloads an ops run page until its state badge reads `label`. */
async function untilState(page: Page, label: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await page.locator('h1 + .badge').textContent())?.trim() === label) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload();
  }
  throw new Error(`the run never became ${label}`);
}

describe('a clerk', () => {
  it('logs in, runs a case, watches it finish by itself and copies the receipt', async () => {
    const page = await contexts.clerk.newPage();
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/login');
    await shoot(page, 'login');
    await page.close();
    const staff = await logIn('clerk');
    expect(new URL(staff.url()).pathname).toBe('/staff');
    const applicant = cases()[0];
    await runCase(staff, applicant.caseNo);
    await staff.waitForURL(/\/staff\/runs\//);
    const receipt = staff.locator('#receipt');
    await receipt.waitFor({ timeout: 120_000 });
    expect(await staff.locator('.step.done').count()).toBe(4);
    const rows = await targetRowsById(medicalInsurance());
    expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([await receipt.inputValue()]);
    await staff.getByRole('button', { name: '复制' }).click();
    await staff.getByRole('button', { name: '已复制' }).waitFor();
    expect(await staff.evaluate(() => navigator.clipboard.readText())).toBe(await receipt.inputValue());
    await shoot(staff, 'staff-result');
  });

  it('lands on the existing run when the same case is run again, and nothing is entered twice', async () => {
    const page = await contexts.clerk.newPage();
    const applicant = cases()[0];
    await runCase(page, applicant.caseNo);
    await page.waitForURL(/existing=1/);
    expect(await page.locator('.notice').textContent()).toContain('已经有一条录入记录');
    expect(await page.locator('#receipt').inputValue()).toMatch(/^YB/);
    expect((await targetRowsById(medicalInsurance())).get(applicant.idNumber)).toHaveLength(1);
  });

  it('sees a clear error on the page for a malformed or empty case number', async () => {
    const page = await contexts.clerk.newPage();
    await runCase(page, 'SL123');
    expect(await page.getByRole('alert').textContent()).toContain('受理编号为 SL 加 13 位数字');
    expect(await page.getByLabel('受理编号').inputValue()).toBe('SL123');
    await runCase(page, '   ');
    expect(await page.getByRole('alert').textContent()).toContain('请输入受理编号');
    await shoot(page, 'staff');
  });

  it('gets a 403 page for the ops routes, and 403 from their JSON API', async () => {
    const page = await contexts.clerk.newPage();
    for (const path of ['/ops', '/overview', '/audit', '/users']) {
      const response = await page.goto(url(path));
      expect(response?.status(), path).toBe(403);
      expect(await page.locator('h1').textContent()).toBe('无权访问');
    }
    for (const path of ['/api/ops/runs', '/api/overview', '/api/audit']) {
      const response = await page.request.get(url(path));
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ error: '403' });
    }
  });
});

describe('ops', () => {
  const failed = () => cases().slice(1, 5);
  const runId = (caseNo: string) => `${RECIPE}__${caseNo}`;

  it('see a failure a fixture fault caused, open its screenshot, retry it and see it succeed', async () => {
    await setFaults(medicalInsurance(), { errorRate: 1 });
    const [first, ...others] = failed();
    const clerk = await contexts.clerk.newPage();
    await runCase(clerk, first.caseNo);
    const ids = await Promise.all(others.map((applicant) => ferry().trigger(RECIPE, { caseNo: applicant.caseNo })));
    await clerk.locator('.problem').waitFor({ timeout: 120_000 });
    expect(await clerk.locator('.problem').textContent()).toContain('medical-insurance answered 500');
    await shoot(clerk, 'staff-problem');
    await Promise.all(ids.map((id) => ferry().outcome(id)));
    await setFaults(medicalInsurance(), { errorRate: 0 });

    const page = await logIn('opsy');
    expect(new URL(page.url()).pathname).toBe('/ops');
    for (const applicant of failed()) await page.getByRole('link', { name: applicant.caseNo }).waitFor();
    await shoot(page, 'ops-list');
    await page.getByRole('link', { name: first.caseNo }).click();
    const image = page.locator('.evidence img').first();
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    const png = await page.request.get(url(`/ops/runs/${runId(first.caseNo)}/evidence/medical-insurance.png`));
    expect(png.headers()['content-type']).toBe('image/png');
    const html = await page.request.get(url(`/ops/runs/${runId(first.caseNo)}/evidence/medical-insurance.html`));
    expect(html.headers()['content-disposition']).toContain('attachment');
    expect(await page.locator('body').textContent()).not.toContain(first.name);
    await shoot(page, 'ops-run');

    await page.getByRole('button', { name: '重试' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已重新排队。');
    await untilState(page, '已完成');
    expect((await targetRowsById(medicalInsurance())).get(first.idNumber)).toHaveLength(1);
    await clerk.reload();
    expect(await clerk.locator('#receipt').inputValue()).toMatch(/^YB/);
  });

  it('resolve one run by hand, discard another with a note, and retry the rest of a reason in bulk', async () => {
    const [, byHand, discarded, bulk] = failed();
    const { ledger } = ferry().runtime;
    const page = await logIn('opsy');
    await page.goto(url(`/ops/runs/${runId(byHand.caseNo)}`));
    await page.getByLabel('在目标系统中查到的业务流水号').fill('YB-HAND-0001');
    await page.getByRole('button', { name: '手工办结' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已手工办结。');
    expect(await ledger.get(RECIPE, byHand.caseNo)).toMatchObject({ state: 'DONE', receipt: 'YB-HAND-0001', created: '0', resolvedBy: 'opsy' });

    await page.goto(url(`/ops/runs/${runId(discarded.caseNo)}`));
    await page.getByLabel('作废说明').fill('申请人已撤回申请');
    await page.getByRole('button', { name: '作废' }).click();
    expect(await ledger.get(RECIPE, discarded.caseNo)).toMatchObject({ state: 'DISCARDED', note: '申请人已撤回申请' });

    await page.goto(url('/ops'));
    await page.locator('.chip').first().click();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: '全部重试（1 条）' }).click();
    expect(await page.getByRole('status').textContent()).toBe('已重试 1 条，跳过 0 条。');
    expect((await ferry().outcome(runId(bulk.caseNo))).state).toBe('DONE');
    const rows = await targetRowsById(medicalInsurance());
    expect([byHand, discarded].map((applicant) => rows.has(applicant.idNumber))).toEqual([false, false]);
    expect(rows.get(bulk.idNumber)).toHaveLength(1);
  });
});

describe('a cross-site POST', () => {
  let attacker: Server;
  afterAll(() => new Promise<void>((resolve) => attacker?.close(() => resolve())));

  it('is refused whether the browser sends the cookie or not, without the CSRF token', async () => {
    attacker = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<form method="post" action="${url('/users')}"><input name="name" value="mallory"><input name="role" value="admin"></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, 'localhost', resolve));
    const page = await logIn('boss');
    await page.goto(`http://localhost:${(attacker.address() as { port: number }).port}/`);
    await page.waitForURL(url('/overview'));
    const sameSite = await page.request.post(url('/users'), { form: { name: 'mallory', role: 'admin' } });
    expect(sameSite.status()).toBe(403);
    const wrongToken = await page.request.post(url('/users'), { form: { name: 'mallory', role: 'admin', _csrf: 'forged' } });
    expect(wrongToken.status()).toBe(403);
    const users = new UserStore(ferry().runtime.redis, ferry().runtime.keys);
    expect(await users.get('mallory')).toBeNull();
  });
});

describe('the overview', () => {
  it('shows the right counts after a known batch', async () => {
    const page = await logIn('opsy');
    const figures = async () => {
      const overview = await (await page.request.get(url('/api/overview'))).json();
      return overview.recipes.find((recipe: { id: string }) => recipe.id === RECIPE).periods.today;
    };
    const before = await figures();
    const batch = [...cases().slice(5, 8), defectiveCases(ferry().fixtures.applicants)[0]].map((applicant) => applicant.caseNo);
    const ids = await Promise.all(batch.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
    expect((await Promise.all(ids.map((id) => ferry().outcome(id)))).map((outcome) => outcome.state)).toEqual(['DONE', 'DONE', 'DONE', 'REJECTED']);
    const after = await figures();
    expect(after.runs - before.runs).toBe(4);
    expect(after.moved - before.moved).toBe(3);
    expect(after.entered - before.entered).toBe(3);
    expect(after.hoursSaved - before.hoursSaved).toBeCloseTo(3 * 4 / 60);
    await page.goto(url('/overview'));
    const today = page.locator(`[data-recipe="${RECIPE}"] .p-today td`);
    expect(await today.allTextContents()).toEqual([
      `${(after.rate * 100).toFixed(1)}%`, String(after.runs), String(after.moved), after.hoursSaved.toFixed(1),
    ]);
    expect(await page.locator('.q-workers').textContent()).toBe('1');
    await shoot(page, 'overview');
  });
});

describe('an admin', () => {
  it('adds a user whose generated password works', async () => {
    const page = await logIn('boss');
    await page.goto(url('/users'));
    await page.getByLabel('用户名').fill('newclerk');
    await page.getByLabel('角色', { exact: true }).last().selectOption('staff');
    await page.getByRole('button', { name: '添加' }).click();
    const notice = await page.locator('.notice').textContent();
    const password = /：(\S+)（/.exec(notice ?? '')?.[1];
    expect(password).toMatch(/^[\w-]{16}$/);
    await shoot(page, 'users');
    const verified = await new UserStore(ferry().runtime.redis, ferry().runtime.keys).verify('newclerk', password!);
    expect(verified?.role).toBe('staff');
  });
});

describe('without a session', () => {
  it('GET / redirects to the log-in page and GET /metrics answers Prometheus text with ferry_ metrics', async () => {
    const home = await fetch(url('/'), { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toMatch(/^\/login/);
    const metrics = await fetch(url('/metrics'));
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.every((line) => line.startsWith('ferry_'))).toBe(true);
    expect(text).toMatch(new RegExp(`ferry_runs_total\\{recipe="${RECIPE}",outcome="entered"\\} ([6-9]|\\d\\d)`));
    expect(text).toMatch(new RegExp(`ferry_run_duration_seconds_count\\{recipe="${RECIPE}",outcome="entered"\\} [1-9]`));
    expect(text).toContain('ferry_queue_jobs{state="waiting"}');
    expect(text).toContain(`ferry_ledger_entries{recipe="${RECIPE}",state="DISCARDED"} 1`);
    expect(text).toContain('ferry_system_up{bot="medical-insurance"} 1');
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
    const blocked = await attempt(PASSWORDS.clerk2);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('尝试次数过多');
  });
});

describe('the audit log', () => {
  it('holds every action this test took, in Redis and in an owner-only file', async () => {
    const entries = await audit.list({ limit: 1000 });
    const has = (action: string, who: string, outcome = 'ok') => entries.some((entry) => entry.action === action && entry.who === who && entry.outcome === outcome);
    expect(has('login', 'clerk')).toBe(true);
    expect(has('login', 'opsy')).toBe(true);
    expect(has('login', 'boss')).toBe(true);
    expect(has('login', 'clerk2', 'failed')).toBe(true);
    expect(has('login', 'clerk2', 'denied')).toBe(true);
    expect(has('trigger', 'clerk')).toBe(true);
    expect(has('trigger', 'clerk', 'failed')).toBe(true);
    expect(has('forbidden', 'clerk', 'denied')).toBe(true);
    expect(entries.some((entry) => entry.action === 'forbidden' && entry.detail?.includes('CSRF'))).toBe(true);
    for (const action of ['evidence-view', 'retry', 'resolve', 'discard']) expect(has(action, 'opsy'), action).toBe(true);
    expect(has('user-add', 'boss')).toBe(true);

    const file = join(ferry().runtime.config.dataDir, 'audit.log');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(await ferry().runtime.redis.xlen(ferry().runtime.keys.audit()));

    const page = await logIn('boss');
    await page.goto(url('/audit'));
    const text = await page.locator('table').textContent();
    for (const action of ['login', 'trigger', 'evidence-view', 'retry', 'resolve', 'discard', 'user-add', 'forbidden']) expect(text).toContain(action);
    await shoot(page, 'audit');
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login$/);
    expect((await page.request.get(url('/api/overview'))).status()).toBe(401);
  });
});
