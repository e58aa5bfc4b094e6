/** `fieldByCaption` on forms whose captions are table cells, not labels, in real Chromium. */
import { describe, expect, it } from 'vitest';
import { useBrowser, usePage } from './support/browser.ts';
import { fieldByCaption } from '../runner/browser/field-by-caption.ts';

const browser = useBrowser();
const page = usePage(browser, { per: 'suite' });

const FORM = `
<form id="applicant"><table>
  <tr><td>姓名</td><td><input name="xm" type="text"></td></tr>
  <tr><td>性别：</td><td><select name="xb"><option value="1">男</option><option value="2">女</option></select></td></tr>
  <tr><th> 出生日期 : </th><td><input type="hidden" name="csrq_fmt" value="yyyyMMdd"><input name="csrq"></td></tr>
  <tr><td>住　址</td><td><textarea name="zz"></textarea></td></tr>
  <tr><td>He said 'hi'</td><td><input name="quote"></td></tr>
</table></form>
<form id="contact"><table>
  <tr><td>姓名</td><td><input name="lxr"></td></tr>
</table></form>`;

describe('fieldByCaption', () => {
  it('finds the input, select or textarea in the cell beside a caption cell', async () => {
    await page().setContent(FORM);
    const applicant = page().locator('#applicant');
    await fieldByCaption(applicant, '姓名').fill('张三');
    await fieldByCaption(applicant, '性别').selectOption('2');
    await fieldByCaption(applicant, '出生日期').fill('19900307');
    await fieldByCaption(applicant, '住址').fill('北京市');
    await fieldByCaption(applicant, "He said 'hi'").fill('quoted');
    const values = await applicant.evaluate((form: HTMLFormElement) => Object.fromEntries(new FormData(form)));
    expect(values).toEqual({ xm: '张三', xb: '2', csrq_fmt: 'yyyyMMdd', csrq: '19900307', zz: '北京市', quote: 'quoted' });
  });

  it('matches the whole caption, not a caption that contains it', async () => {
    await page().setContent('<table><tr><td>联系人姓名</td><td><input name="a"></td></tr><tr><td>姓名：</td><td><input name="b"></td></tr></table>');
    expect(await fieldByCaption(page(), '姓名').getAttribute('name')).toBe('b');
  });

  it('fails as ambiguous when the page shows the caption twice and no scope tells them apart', async () => {
    await page().setContent(FORM);
    await expect(fieldByCaption(page(), '姓名').fill('x', { timeout: 2000 })).rejects.toThrow(/strict mode violation/);
  });
});
