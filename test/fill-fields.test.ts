/**
 * `fillFields` in real Chromium: the events a person's typing fires, field by field, and
 * waiting for the requests a field's scripts start. The legacy page and its lookup are
 * served through Playwright's routing on a made-up origin, so each test decides how the
 * lookup answers (late, with an error, never).
 */
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, usePage } from './support/browser.ts';
import { FieldRequestError, fillFields } from '../runner/index.ts';

const browser = useBrowser();
const page = usePage(browser);
const ORIGIN = 'http://legacy.test';

/** A form that logs every event of its fields, and whose ID number's blur fills a hidden field from `/lookup` by XHR (or fetch). */
const FORM = (lookup: 'xhr' | 'fetch') => `<!DOCTYPE html><html><body>
<form name="entry">
  <input name="xm"><input name="sfzh" onblur="lookUp(this.value)"><input type="hidden" name="grbh">
  <select name="xb"><option value="">请选择</option><option value="1">男</option><option value="2">女</option></select>
  <input name="locked" readonly>
</form>
<script>
  window.events = [];
  for (const field of document.forms.entry.elements) {
    for (const type of ['focus', 'keydown', 'input', 'keyup', 'change', 'blur']) {
      field.addEventListener(type, () => events.push(field.name + ':' + type));
    }
  }
  function lookUp(sfzh) {
    const put = (text) => { document.forms.entry.grbh.value = text; };
    if (${lookup === 'fetch'}) { fetch('/lookup?sfzh=' + sfzh).then((r) => r.text()).then(put); return; }
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/lookup?sfzh=' + sfzh, true);
    xhr.onreadystatechange = () => { if (xhr.readyState === 4 && xhr.status === 200) put(xhr.responseText); };
    xhr.send(null);
  }
</script></body></html>`;

/** Opens the form; `/lookup` answers as `answer` says. */
async function openForm(target: Page, answer: (route: Route) => Promise<void>, lookup: 'xhr' | 'fetch' = 'xhr'): Promise<void> {
  await target.route(`${ORIGIN}/lookup**`, answer);
  await target.route(`${ORIGIN}/form`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: FORM(lookup) }));
  await target.goto(`${ORIGIN}/form`);
}

const lateAnswer = (ms: number) => async (route: Route) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await route.fulfill({ contentType: 'text/plain', body: `GR-${new URL(route.request().url()).searchParams.get('sfzh')}` }).catch(() => {});
};
const frame = () => page().mainFrame();
const hiddenValue = () => frame().evaluate(() => (document.forms.namedItem('entry')!.elements.namedItem('grbh') as HTMLInputElement).value);

describe('fillFields', () => {
  it('fires focus, keydown, input, keyup, change and blur for each field, in the order given', async () => {
    await openForm(page(), lateAnswer(0));
    expect(await fillFields(frame(), { xm: '张三', xb: { label: '女' } }, { form: 'entry' })).toBeNull();
    const events = await frame().evaluate(() => (window as unknown as { events: string[] }).events);
    const typing = ['focus', 'keydown', 'input', 'keyup', 'change', 'blur'];
    expect(events).toEqual([...typing.map((type) => `xm:${type}`), ...typing.map((type) => `xb:${type}`)]);
    expect(await frame().evaluate(() => Object.fromEntries(new FormData(document.forms.namedItem('entry')!)))).toMatchObject({ xm: '张三', xb: '2' });
  });

  for (const lookup of ['xhr', 'fetch'] as const) {
    it(`returns only once the request a blur started (${lookup}) has answered and its handler has run`, async () => {
      await openForm(page(), lateAnswer(800), lookup);
      await fillFields(frame(), { sfzh: '320102198503070012' }, { form: 'entry' });
      expect(await hiddenValue()).toBe('GR-320102198503070012');
    });
  }

  it('fails with FieldRequestError, naming the field and the path but not the value, when the request answers an error', async () => {
    await openForm(page(), (route) => route.fulfill({ status: 500, body: '系统繁忙' }));
    const failure = await fillFields(frame(), { xm: '张三', sfzh: '320102198503070012', xb: '1' }, { form: 'entry' }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(FieldRequestError);
    expect((failure as Error).message).toBe("the request field sfzh's events started GET /lookup answered 500");
    // It stopped at that field: the fields after it were not touched.
    expect(await frame().evaluate(() => (document.forms.namedItem('entry')!.elements.namedItem('xb') as HTMLSelectElement).value)).toBe('');
  });

  it('fails with FieldRequestError when the request does not end in time', async () => {
    await openForm(page(), () => new Promise(() => {}));
    const failure = await fillFields(frame(), { sfzh: '320102198503070012' }, { form: 'entry', requestTimeoutMs: 500 }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(FieldRequestError);
    expect((failure as Error).message).toBe("the request field sfzh's events started did not end within 500 ms");
  });

  it('returns the select lacking an option, and refuses a missing form or field or one a person could not type into', async () => {
    await openForm(page(), lateAnswer(0));
    expect(await fillFields(frame(), { xm: '张三', xb: { label: '未知' } }, { form: 'entry' })).toBe('xb');
    expect(await fillFields(frame(), { xb: '9' })).toBe('xb');
    await expect(fillFields(frame(), { xm: '张三' }, { form: 'other' })).rejects.toThrow('fillFields: the page has no form "other"');
    await expect(fillFields(frame(), { zz: '1' }, { form: 'entry' })).rejects.toThrow('fillFields: form "entry" has no field named "zz"');
    await expect(fillFields(frame(), { grbh: 'GR1' }, { form: 'entry' })).rejects.toThrow('field "grbh" is hidden, disabled or read-only');
    await expect(fillFields(frame(), { locked: 'x' }, { form: 'entry' })).rejects.toThrow('field "locked" is hidden, disabled or read-only');
  });
});
