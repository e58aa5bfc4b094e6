/**
 * What `ferry inspect` reads off layouts the fixture systems do not have: captions in a
 * column's `<th>` or in the cell above, radio groups and checkboxes, an iframe, a dialog in an
 * inline handler, and two fields no caption tells apart. Each is checked on a live page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { planLocator, scopeOf } from '../runner/screen/locator-plans.ts';
import { readScreen } from '../runner/screen/read-screen.ts';
import { renderSkeleton } from '../cli/authoring/skeleton.ts';
import { useBrowser, usePage } from './support/browser.ts';

const SCREEN = `<!doctype html><html><head><meta charset="utf-8"><title>变更登记</title></head><body>
<table border="1">
  <tr><th>姓名</th><th>性别</th></tr>
  <tr><td><input name="xm"></td>
      <td><label><input type="radio" name="xb" value="1">男</label> <label><input type="radio" name="xb" value="2">女</label></td></tr>
</table>
<table border="1">
  <tr><td>身份证号</td><td>备注</td></tr>
  <tr><td><input name="sfzh"></td><td><input name="bz1"></td></tr>
  <tr><td></td><td><input name="bz2"></td></tr>
</table>
<p><input type="checkbox" id="agree"><label for="agree">已核对原件</label></p>
<iframe name="notes" srcdoc="<label for='yj'>意见</label><textarea id='yj'></textarea>"></iframe>
<button type="button" onclick="if (confirm('确认提交变更?')) document.forms[0] && location.reload()">提交</button>
</body></html>`;

const page = usePage(useBrowser(), { per: 'suite' });

async function inspect(target: Page) {
  await target.setContent(SCREEN);
  await target.frame({ name: 'notes' })!.waitForSelector('textarea');
  return readScreen(target);
}

describe('ferry inspect on a screen of mixed layouts', () => {
  it('finds each caption where the layout puts it, and a locator that singles out each control', async () => {
    const frames = await inspect(page());
    const controls = frames.flatMap((frame) => frame.controls.map((planned) => ({ ...planned, path: frame.path })));
    const byName = (name: string) => controls.find(({ control }) => (control.name || control.id) === name)!;

    expect(byName('xm').control.caption).toEqual({ text: '姓名', where: 'column-header' });
    expect(byName('sfzh').control.caption).toEqual({ text: '身份证号', where: 'cell-above' });
    const radios = controls.filter(({ control }) => control.kind === 'radio');
    expect(radios.map(({ control }) => [control.caption.text, control.options[0].text])).toEqual([['性别', '男'], ['性别', '女']]);
    expect(radios.map(({ plan }) => plan)).toEqual([{ by: 'role', role: 'radio', name: '男' }, { by: 'role', role: 'radio', name: '女' }]);
    expect(byName('agree').plan).toEqual({ by: 'role', role: 'checkbox', name: '已核对原件' });
    expect(byName('yj').path).toEqual(['iframe[name="notes"]']);
    expect(byName('yj').plan).toEqual({ by: 'label', text: '意见' });
    // 备注 heads a column of two inputs: the caption does not single either out, so each gets its name.
    expect(byName('bz2').plan).toMatchObject({ by: 'css', selector: 'input[name="bz2"]' });

    for (const { control, plan, path } of controls) {
      const locator = planLocator(plan, scopeOf(page(), path));
      expect(await locator.count(), `${control.name || control.id || control.text}`).toBe(1);
    }
  });

  it('prints the captions, the dialog and the frame in the skeleton', async () => {
    const source = renderSkeleton({ url: 'http://legacy/bg/change.do', className: 'ChangePage', ferryImport: 'ferry', frames: await inspect(page()) });
    expect(source).toContain('姓名: text, captioned by its column\'s header.');
    expect(source).toContain('身份证号: text, captioned by the cell above.');
    expect(source).toContain('性别 = 男: radio');
    expect(source).toContain("return this.page.getByRole('radio', { name: '女', exact: true });");
    expect(source).toContain('Its handler may ask 「确认提交变更?」: click it inside expectDialog.');
    expect(source).toContain("get notesFrame() {\n    return this.page.frameLocator('iframe[name=\"notes\"]').locator(':root');");
    expect(source).toContain("return this.notesFrame.getByLabel('意见', { exact: true });");
  });
});
