/**
 * The batch pages in a real Chromium: a clerk uploads a CSV through the form, sees exactly its
 * bad rows with their row numbers and reasons, queues the good rows and watches them entered;
 * downloads the template and the result workbook; is told plainly why a file was not taken;
 * another clerk gets 404 for the batch, its result and its JSON, and ops see it.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { enterableCases } from '../fixtures/cases.ts';
import enrollment from '../recipes/flexible-worker-enrollment.ts';
import { rowsOf } from './support/batch-files.ts';
import { useBrowser } from './support/browser.ts';
import { JOURNEY_FERRY, useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry({ ...JOURNEY_FERRY, env: { ...JOURNEY_FERRY.env, FERRY_BATCH_MAX_MB: '1' } });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);

const FILE = '参保名单.csv';
let batchPath = '';

/** On the batch page, uploads a file for the enrollment recipe as a clerk does. */
async function upload(page: Page, file: { name: string; text: string }): Promise<void> {
  await page.goto('/batches');
  await page.getByLabel('事项').selectOption({ label: enrollment.title });
  await page.getByLabel('文件（.xlsx 或 .csv）').setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.text) });
  await page.getByRole('button', { name: '上传并检查' }).click();
}

/** Clicks a download link and reads the workbook it saves. */
async function downloadFrom(page: Page, link: string): Promise<{ name: string; rows: unknown[][] }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  return { name: download.suggestedFilename(), rows: await rowsOf(await readFile(await download.path())) };
}

const batchCount = () => ferry().runtime.redis.zcard(ferry().runtime.keys.batchIndex());

describe('a clerk with a batch file', () => {
  it('uploads it, sees exactly its bad rows, queues the good ones and watches them entered', async () => {
    const [first, second, third] = enterableCases(ferry().fixtures.applicants).map((applicant) => applicant.caseNo);
    const page = await people.logIn('clerk');
    await page.getByRole('link', { name: '批量', exact: true }).click();
    await upload(page, { name: FILE, text: ['受理编号', first, 'SL123', second, first, third].join('\r\n') });
    await page.waitForURL(/\/batches\/[a-z0-9]+-[0-9a-f]{8}$/);
    batchPath = new URL(page.url()).pathname;

    const bad = await page.locator('table.bad-rows tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent!.trim())));
    expect(bad).toEqual([
      ['3', '受理编号', expect.stringContaining('受理编号为 SL 加 13 位数字')],
      ['5', '', expect.stringContaining('与第 2 行是同一记录')],
    ]);
    expect(await page.locator('.tally').innerText()).toMatch(/数据行\s*5\s*有效\s*3\s*有问题\s*2/);
    await shoot(page, 'batch-checked');

    await page.getByRole('button', { name: '入队 3 条有效记录' }).click();
    expect(await page.locator('.flash').textContent()).toContain('已入队 3 条记录');
    expect(await page.locator('.badge.big').textContent()).toBe('已入队');
    await page.locator('#batch[data-settled="true"]').waitFor({ timeout: 120_000 });
    const states = await page.locator('table.outcomes tbody tr').evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[1].textContent!.trim()));
    expect(states).toEqual(['已完成', '未入队', '已完成', '未入队', '已完成']);
    expect(await page.locator('.counts').innerText()).toMatch(/已完成\s*3[\s\S]*未入队\s*2/);
    expect(await page.locator('progress.meter').evaluate((bar: HTMLProgressElement) => [bar.value, bar.max])).toEqual([3, 3]);
    await shoot(page, 'batch');

    const result = await downloadFrom(page, '下载结果表');
    expect(result.name).toBe('参保名单-结果.xlsx');
    expect(result.rows[0]).toEqual(['受理编号', '状态 state', '回执 receipt', '原因 reason', '时间 time']);
    expect(result.rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      [first, '已录入 DONE'], ['SL123', '未入队 NOT_QUEUED'], [second, '已录入 DONE'], [first, '未入队 NOT_QUEUED'], [third, '已录入 DONE'],
    ]);
    expect(result.rows[1][2]).toMatch(/^YB/);
    expect(result.rows[2][3]).toContain('受理编号为 SL 加 13 位数字');

    await page.goto('/batches');
    const listed = page.locator(`tr[data-batch="${batchPath.split('/').pop()}"]`);
    expect(await listed.innerText()).toMatch(new RegExp(`${FILE}[\\s\\S]*clerk[\\s\\S]*已入队[\\s\\S]*3 条有效，2 条有问题`));
    const template = await downloadFrom(page, `下载模板: ${enrollment.title}`);
    expect(template.name).toBe('flexible-worker-enrollment-模板.xlsx');
    expect(template.rows[0]).toEqual(['受理编号']);
    await shoot(page, 'batches');
  });

  it('is told plainly why a file was not taken, and nothing is kept of it', async () => {
    const page = await people.logIn('clerk');
    const before = await batchCount();
    await upload(page, { name: '名单.csv', text: '姓名\r\n张三' });
    expect(await page.getByRole('alert').textContent()).toContain('表头缺少 "受理编号"');
    await upload(page, { name: '大名单.csv', text: `受理编号\r\n${'SL2026000000001\r\n'.repeat(90_000)}` });
    expect(await page.getByRole('alert').textContent()).toContain('文件超过 1 MB 的上限');
    await page.getByRole('button', { name: '上传并检查' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('请选择要上传的文件');
    expect(await batchCount()).toBe(before);
  });
});

describe('who sees a batch', () => {
  it('is its uploader and ops: another clerk gets 404 for its page, its result and its JSON', async () => {
    const other = await people.logIn('clerk2');
    expect((await other.goto(batchPath))?.status()).toBe(404);
    expect(await other.content()).not.toContain(FILE);
    expect((await other.request.get(`${batchPath}/result`)).status()).toBe(404);
    const json = await other.request.get(`/api${batchPath}`);
    expect([json.status(), await json.json()]).toEqual([404, expect.objectContaining({ error: '404' })]);
    await other.goto('/batches');
    expect(await other.content()).not.toContain(FILE);

    const ops = await people.logIn('opsy');
    expect((await ops.goto(batchPath))?.status()).toBe(200);
    expect(await ops.locator('h1').textContent()).toBe(FILE);
    expect((await ops.request.get(`/api${batchPath}`)).status()).toBe(200);
  });
});
