/**
 * The alert admin page in a real Chromium: an admin adds a WeCom robot and a DingTalk robot,
 * "send test" reaches the one and shows the other's refusal without its key, switches a rule
 * off and sets a sync deadline; the page never shows a robot's key; ops are refused on the server.
 */
import { describe, expect, it } from 'vitest';
import { DINGTALK_SECRET, useAlertReceivers, WECOM_KEY } from './support/alert-receivers.ts';
import { useBrowser } from './support/browser.ts';
import { useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry({ fixtures: { applicants: 40, faults: { captcha: false } }, workers: 0 });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);
const receivers = useAlertReceivers();

describe('an admin on the alerts page', () => {
  it('adds channels, sends a test to each, and sees what each answered, never a key', async () => {
    const page = await people.logIn('boss');
    await page.goto('/alerts');
    const add = async (id: string, kind: string, url: string, secret = '') => {
      if (!(await page.locator('details.add-channel').evaluate((details: HTMLDetailsElement) => details.open))) await page.getByText('添加通知渠道').click();
      await page.getByLabel('渠道名').fill(id);
      await page.getByLabel('类型').selectOption(kind);
      await page.getByLabel('机器人或 Webhook 地址').fill(url);
      await page.getByLabel('钉钉加签密钥（SEC…）').fill(secret);
      await page.getByRole('button', { name: '保存' }).first().click();
      expect(await page.locator('.flash').textContent()).toContain('已保存');
    };
    await add('ops-wecom', 'wecom', `${receivers().httpUrl}/cgi-bin/webhook/send?key=${WECOM_KEY}`);
    await add('ops-dingtalk', 'dingtalk', `${receivers().httpUrl}/robot/send?access_token=robot-token`, 'SECnot-the-secret');

    await page.locator('tr[data-channel="ops-wecom"]').getByRole('button', { name: '发送测试' }).click();
    expect(await page.locator('.flash').textContent()).toContain('测试消息已送达');
    expect(receivers().received.map((message) => message.kind)).toEqual(['wecom']);

    await page.locator('tr[data-channel="ops-dingtalk"]').getByRole('button', { name: '发送测试' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('the DingTalk robot refused the message: 310000');
    const html = await page.content();
    for (const secret of [WECOM_KEY, 'robot-token', 'SECnot-the-secret', DINGTALK_SECRET]) expect(html).not.toContain(secret);
    expect(await page.locator('tr[data-channel="ops-wecom"] td').nth(2).textContent()).toBe(new URL(receivers().httpUrl).host);

    const rule = page.locator('form[data-rule="task-deadline"]');
    await rule.getByRole('checkbox').uncheck();
    await rule.getByRole('button', { name: '保存' }).click();
    const deadline = page.locator('form[data-rule="sync-deadline"]');
    await deadline.locator('input[name="doneBy_residence-permit-archive"]').fill('06:00');
    await deadline.getByRole('button', { name: '保存' }).click();
    expect(await page.locator('form[data-rule="task-deadline"]').getByRole('checkbox').isChecked()).toBe(false);
    expect(await ferry().runtime.alerts.rule('sync-deadline')).toMatchObject({ enabled: true, doneBy: { 'residence-permit-archive': '06:00' } });
    await shoot(page, 'alerts');

    const audited = (await ferry().runtime.redis.xrange(ferry().runtime.keys.audit(), '-', '+')).map(([, fields]) => fields.join(' '));
    expect(audited.filter((line) => line.includes('alert-'))).toHaveLength(6);
    expect(audited.join('\n')).not.toMatch(/robot-token|SECnot|wecom-test-key/);
  });
});

describe('ops', () => {
  it('are refused the alerts page and its changes, on the server', async () => {
    const page = await people.logIn('opsy');
    expect((await page.goto('/alerts'))?.status()).toBe(403);
    const posted = await page.request.post('/alerts/rules/needs-review', { form: { enabled: '' }, maxRedirects: 0 });
    expect(posted.status()).toBe(403);
    expect((await ferry().runtime.alerts.rule('needs-review')).enabled).toBe(true);
  });
});
