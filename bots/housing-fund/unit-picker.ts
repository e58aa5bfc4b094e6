/**
 * The 单位选择 window that 个人开户 opens with `window.open`: search by name, click a row, and
 * the window writes the unit into the form and closes itself.
 */
import type { Page } from 'playwright-core';
import { BusinessError, clickClosingPopup, fieldByCaption } from '../../runner/index.ts';

/** Picks the first unit whose name contains `keyword`; returns its name. */
export async function pickUnit(form: Page, keyword: string): Promise<string> {
  const opened = form.waitForEvent('popup');
  await form.getByRole('button', { name: '选择单位' }).click();
  const picker = await opened;
  await fieldByCaption(picker, '单位名称').fill(keyword);
  await picker.getByRole('button', { name: '查询' }).click();
  // Result rows carry the unit in data attributes; the table has no accessible name.
  const row = picker.locator('#dwTable tr.row').first();
  await row.or(picker.locator('#msg')).first().waitFor();
  if (!(await row.count())) {
    await picker.close();
    throw new BusinessError(`公积金系统中没有名称含"${keyword}"的缴存单位 (no unit matches "${keyword}")`);
  }
  const name = (await row.getAttribute('data-name')) ?? '';
  // The row's click handler writes the unit into the form and closes the window.
  await clickClosingPopup(picker, row);
  return name;
}
