/**
 * A question in the dashboard, in a real Chromium: the clerk runs a case whose 居住证号 image
 * will not read; the run page asks inline, with the image; a malformed number is refused at
 * the form; the right one lets the run finish by itself, and the row carries it. A clerk who
 * checks the record corrects a mobile in place, and the row carries the correction. Ops see
 * the questions sent to ops in their inbox, with the count in the header.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { enterableCases, outsiderCases } from '../fixtures/cases.ts';
import type { Applicant } from '../fixtures/data/applicants.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { useBrowser } from './support/browser.ts';
import { JOURNEY_FERRY, RECIPE, useDashboard } from './support/dashboard.ts';
import { runCase, shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry(JOURNEY_FERRY);
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);
let unreadable: Applicant[] = [];

beforeAll(async () => {
  unreadable = outsiderCases(ferry().fixtures.applicants).slice(0, 2);
  await setFaults(ferry().fixtures.urls.residence, { illegibleNumbers: unreadable.map((a) => a.permit!.permitNo) });
});

describe('a run that asks the clerk', () => {
  it('shows the question inline with the image, refuses a malformed number, and finishes with the typed one', async () => {
    const applicant = unreadable[0];
    const page = await people.logIn('clerk');
    await runCase(page, applicant.caseNo);
    await page.waitForURL(/\/staff\/runs\//);
    const question = page.locator('#question');
    await question.waitFor({ timeout: 120_000 });
    expect(await page.locator('#run').getAttribute('data-state')).toBe('WAITING_FOR_PERSON');
    // Stopped at 读取 for the answer, not spinning: nothing runs while it waits.
    expect(await page.locator('.step.waiting').getAttribute('data-step')).toBe('reading');
    expect(await page.locator('.step.current').count()).toBe(0);
    expect(await question.locator('.prompt').textContent()).toContain('居住证号图片无法识别');
    const image = question.getByRole('img', { name: '机器无法识别的图片' });
    expect(await image.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBeGreaterThan(0);
    expect(await page.locator('#task-count').textContent()).toBe('1');
    await shoot(page, 'staff-question');

    await page.getByLabel('请输入', { exact: true }).fill('JZ12');
    await page.getByRole('button', { name: '提交' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('居住证号格式不正确');
    expect(await page.getByLabel('请输入', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('请输入', { exact: true }).fill(applicant.permit!.permitNo);
    await page.getByRole('button', { name: '提交' }).click();
    const receipt = page.locator('#receipt');
    await receipt.waitFor({ timeout: 120_000 });
    const rows = (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber) ?? [];
    expect(rows.map((row) => [row.serialNo, row.jzzh])).toEqual([[await receipt.inputValue(), applicant.permit!.permitNo]]);
    expect(await page.locator('#task-count').count()).toBe(0);
  });
});

describe('a clerk who checks the record before it is entered (二次核对)', () => {
  it('sees each field as the acceptance platform has it and as it will be entered, corrects the mobile in place, and the run enters it corrected', async () => {
    const applicant = enterableCases(ferry().fixtures.applicants)[0];
    const corrected = applicant.phone === '13912345678' ? '13912345679' : '13912345678';
    const page = await people.logIn('clerk');
    await page.goto('/staff');
    await page.getByLabel('事项').selectOption({ label: ferry().runtime.recipes.get(RECIPE).title });
    await page.getByLabel('受理编号').fill(applicant.caseNo);
    await page.getByLabel('录入前由我核对').check();
    await page.getByRole('button', { name: '开始录入' }).click();
    const question = page.locator('#question');
    await question.waitFor({ timeout: 120_000 });
    const rows = await question.locator('table.confirm tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toContainEqual(['身份证号', '', applicant.idNumber]);
    expect(rows).toContainEqual(['性别', applicant.gender, applicant.gender === '男' ? '1' : '2']);
    expect(rows).toContainEqual(['出生日期', applicant.birthDate, applicant.birthDate.replaceAll('-', '')]);
    expect(await question.getByLabel('手机号码').inputValue()).toBe(applicant.phone);
    expect(await question.getByLabel('身份证号').count()).toBe(0);
    expect((await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber)).toBeUndefined();
    await question.getByLabel('手机号码').fill('1391234');
    await page.getByRole('button', { name: '是' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('手机');
    expect(await question.getByLabel('手机号码').inputValue()).toBe(applicant.phone);

    await question.getByLabel('手机号码').fill(corrected);
    await page.getByRole('button', { name: '是' }).click();
    const receipt = page.locator('#receipt');
    await receipt.waitFor({ timeout: 120_000 });
    const entered = (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber) ?? [];
    expect(entered.map((row) => [row.serialNo, row.lxdh])).toEqual([[await receipt.inputValue(), corrected]]);
  });
});

describe('the inbox', () => {
  it('shows ops the question of a nightly run, counted in the header, and answers it on its page', async () => {
    const { runtime } = ferry();
    const applicant = unreadable[1];
    const job = await triggerRun(runtime.queue, runtime.recipes.get(RECIPE), { caseNo: applicant.caseNo }, {
      trigger: { via: 'schedule', by: `schedule:${RECIPE}` }, hash: (value) => runtime.secrets.keyedHash(value), attempts: 2,
    });
    expect((await ferry().outcome(job.id!)).state).toBe('WAITING_FOR_PERSON');

    const clerk = await people.logIn('clerk');
    await clerk.goto('/tasks');
    expect(await clerk.locator('tr.task').count()).toBe(0);
    expect((await clerk.goto(`/tasks/${encodeURIComponent(`${job.id}~permitNo`)}`))?.status()).toBe(404);

    const ops = await people.logIn('opsy');
    await ops.goto('/tasks');
    expect(await ops.locator('#task-count').textContent()).toBe('1');
    expect(await ops.locator('tr.task.mine').count()).toBe(1);
    await shoot(ops, 'tasks-inbox');
    await ops.locator('tr.task.mine a').click();
    await ops.getByLabel('请输入', { exact: true }).fill(applicant.permit!.permitNo);
    await ops.getByRole('button', { name: '提交' }).click();
    await ops.waitForURL(/\/tasks$/);
    expect(await ops.locator('.flash').textContent()).toContain('已提交');
    expect((await ferry().outcome(job.id!)).state).toBe('DONE');
    const rows = (await targetRowsById(ferry().fixtures.urls.medicalInsurance)).get(applicant.idNumber) ?? [];
    expect(rows.map((row) => row.jzzh)).toEqual([applicant.permit!.permitNo]);
  });
});
