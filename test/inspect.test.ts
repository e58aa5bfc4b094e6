/**
 * `ferry inspect`, as an integrator bringing up a system runs it: logged in as the bot, on each
 * fixture system's entry form (the frameset and GBK one included). The skeleton it writes must
 * compile, and every getter of it must resolve to exactly one element of the live screen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickThrough } from '../cli/authoring/click-through.ts';
import type { SessionPool } from '../runner/browser/session-pool.ts';
import { launchChromium } from '../runner/browser/chromium.ts';
import { sessionPoolFor } from '../runner/run/worker.ts';
import { CHROMIUM_PATH } from './support/browser.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { ferryImportFrom, typeErrorsOf, useGeneratedDir } from './support/generated-code.ts';

const ferry = useFerry({ workers: 0 });
const generated = useGeneratedDir();

let pool: SessionPool;
let close = async () => {};
beforeAll(async () => {
  const browser = await launchChromium(CHROMIUM_PATH);
  pool = sessionPoolFor(ferry().runtime, { browser, ocr: ferry().ocr, workerId: 'inspect-test', botUrls: {} });
  close = async () => {
    await pool.close();
    await browser.close();
  };
});
afterAll(() => close());

interface Screen {
  bot: string;
  path: string;
  click?: string[];
  /** Lines the skeleton must hold, for what an author reads off this screen. */
  shows: string[];
}

const SCREENS: Record<string, Screen> = {
  'the acceptance platform\'s archive form (labelled fields)': {
    bot: 'acceptance', path: '/archive/new',
    shows: [".getByLabel('姓名', { exact: true })", ".getByRole('button', { name: '归档', exact: true })"],
  },
  'the medical-insurance entry form, reached through its frameset menu (GBK)': {
    bot: 'medical-insurance', path: '/index.jsp', click: ['灵活就业人员参保登记'],
    shows: [
      "return this.page.frameLocator('frame[name=\"main\"]').locator(':root');",
      "fieldByCaption(this.mainFrame, '姓名')",
      'Codes: 1 男, 2 女.',
      '「确认保存?」: click it inside expectDialog.',
      "frameLocator('frame[name=\"menu\"]')",
    ],
  },
  'the housing-fund opening form (captions in unlinked cells, behind HTTPS and Basic auth)': {
    bot: 'housing-fund', path: '/grzh/open.do',
    shows: [
      "fieldByCaption(this.page, '身份证号')", 'file, captioned by the cell to its left',
      // 单位's cell also holds the picker's button, so its caption matches two controls.
      "By CSS: fieldByCaption(scope, '单位') matches 2 elements.", "return this.page.locator('input[name=\"dwmc\"]');",
      ".getByRole('button', { name: '选择单位', exact: true })", "Its handler opens a window: take it with page.waitForEvent('popup')",
    ],
  },
  'the residence permit search (a WebForms postback page)': {
    bot: 'residence', path: '/PermitList.aspx',
    shows: [".getByLabel('签发日期起', { exact: true })", ".getByRole('button', { name: '查询', exact: true })"],
  },
};

/** The skeleton's getters (frame scopes included) as locators on `page`. */
async function gettersOf(file: string, page: Page): Promise<Record<string, Locator>> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, new (page: Page) => object>;
  const [PageObject] = Object.values(module);
  const instance = new PageObject(page) as Record<string, Locator>;
  const names = Object.getOwnPropertyNames(PageObject.prototype).filter((name) => name !== 'constructor');
  return Object.fromEntries(names.map((name) => [name, instance[name]]));
}

describe.each(Object.entries(SCREENS))('ferry inspect on %s', (_, screen) => {
  it('writes a skeleton that compiles and whose every locator resolves to exactly one element', async () => {
    const file = join(generated(), `${screen.bot}-page.ts`);
    const clicks = (screen.click ?? []).flatMap((name) => ['--click', name]);
    const result = await runFerry(['inspect', screen.path, '--bot', screen.bot, ...clicks, '--out', file, '--import', ferryImportFrom(generated())], ferry().env);
    expect(result.stderr).toContain(`wrote ${file}`);
    expect(result.code).toBe(0);
    const source = readFileSync(file, 'utf8');
    for (const line of screen.shows) expect(source).toContain(line);
    expect(source).not.toContain('FIXME');
    expect(typeErrorsOf([file])).toEqual([]);

    const lane = await pool.acquire(ferry().runtime.recipes.bot(screen.bot));
    try {
      await lane.page.goto(new URL(screen.path, lane.baseUrl).href);
      await clickThrough(lane.page, screen.click ?? []);
      const getters = await gettersOf(file, lane.page);
      expect(Object.keys(getters).length).toBeGreaterThan(2);
      const counts = Object.fromEntries(await Promise.all(Object.entries(getters).map(async ([name, locator]) => [name, await locator.count()])));
      expect(counts).toEqual(Object.fromEntries(Object.keys(getters).map((name) => [name, 1])));
    } finally {
      pool.release(lane);
    }
  }, 360_000); // a ferry process that logs in, then tsc on the skeleton: 45 s beside eight busy loops, over 180 s in a CI pair
});

describe('ferry inspect refuses', () => {
  it('to overwrite a file, and says so before opening anything', async () => {
    const file = join(generated(), 'taken.ts');
    writeFileSync(file, '// an author\'s own page object\n');
    const result = await runFerry(['inspect', '/archive/new', '--bot', 'acceptance', '--out', file], ferry().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exists; inspect never overwrites a file');
  });

  it('an unknown bot, naming the known ones', async () => {
    const result = await runFerry(['inspect', '/x', '--bot', 'nobody'], ferry().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown bot "nobody". Known bots: acceptance, housing-fund, medical-insurance, residence');
  });

  it('a menu entry no frame shows', async () => {
    const result = await runFerry(['inspect', '/index.jsp', '--bot', 'medical-insurance', '--click', '不存在的菜单'], ferry().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shows exactly one link or button named "不存在的菜单"');
  });
});
