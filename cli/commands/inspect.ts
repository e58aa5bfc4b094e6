/**
 * `ferry inspect <url> [--bot <id>] [--out <file>]`: opens a screen of a legacy system,
 * headless, and prints a page-object skeleton for it (see `cli/authoring/` and `runner/screen/`). With `--bot` it
 * logs in as that bot first (its stored credentials, its browser setup, one of its session
 * slots), and a URL may then be a path under the bot's base URL. `--click` reaches a screen
 * that only opens from a menu.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Page } from 'playwright-core';
import { config, type FerryConfig } from '../../runner/config.ts';
import { launchChromium } from '../../runner/browser/chromium.ts';
import { InputError } from '../../runner/errors.ts';
import { clickThrough } from '../authoring/click-through.ts';
import { readScreen } from '../../runner/screen/read-screen.ts';
import { classNameFor, renderSkeleton } from '../authoring/skeleton.ts';
import { note } from '../output.ts';
import { withSessionPool } from '../session-pool-use.ts';

interface InspectOptions {
  bot?: string;
  click: string[];
  out?: string;
  import: string;
  class?: string;
}

/** Loads `url`, clicks through to the screen, and scans it once the page and its frames have loaded. */
async function scanAt(page: Page, url: string, clicks: string[]) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && response.status() >= 400) throw new InputError(`${url} answered ${response.status()}; nothing to inspect.`);
  await clickThrough(page, clicks);
  return readScreen(page);
}

/** Inspects `url` logged in as `botId`, through a session pool like a worker's. */
function inspectAsBot(settings: FerryConfig, botId: string, url: string, clicks: string[]) {
  return withSessionPool(settings, async (runtime, pool) => {
    const lane = await pool.acquire(runtime.recipes.bot(botId));
    const absolute = new URL(url, lane.baseUrl).href;
    return { url: absolute, frames: await scanAt(lane.page, absolute, clicks) };
  });
}

/** Inspects `url` in a plain headless context, logged in as nobody. */
async function inspectAnonymously(settings: FerryConfig, url: string, clicks: string[]) {
  if (!URL.canParse(url)) throw new InputError(`"${url}" is not a URL; give one like http://host/path, or a path with --bot <id>.`);
  const browser = await launchChromium(settings.chromiumPath);
  try {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    return { url, frames: await scanAt(await context.newPage(), url, clicks) };
  } finally {
    await browser.close();
  }
}

export function registerInspect(program: Command): void {
  program
    .command('inspect <url>')
    .description('open a screen of a legacy system and print a page-object skeleton for it')
    .option('--bot <id>', 'log in as this bot first (a path is then taken under its base URL)')
    .option('--click <name>', 'then click the link or button of this name (in any frame); repeat to click through a menu', (name: string, names: string[]) => [...names, name], [])
    .option('--out <file>', 'write the skeleton to this file (never over an existing one) instead of standard output')
    .option('--import <specifier>', 'where the skeleton imports Ferry from', '../../runner/index.ts')
    .option('--class <name>', 'the page object\'s class name (default: from the URL\'s last path segment)')
    .action(async (url: string, options: InspectOptions) => {
      if (options.out && existsSync(options.out)) throw new InputError(`${options.out} exists; inspect never overwrites a file. Choose another --out.`);
      if (options.class && !/^[A-Z][A-Za-z0-9]*$/.test(options.class)) throw new InputError(`--class must be a PascalCase name like EntryPage, not "${options.class}".`);
      const settings = config();
      const inspected = options.bot ? await inspectAsBot(settings, options.bot, url, options.click) : await inspectAnonymously(settings, url, options.click);
      const source = renderSkeleton({ ...inspected, className: options.class ?? classNameFor(inspected.url), ferryImport: options.import });
      if (!options.out) return void process.stdout.write(source);
      writeFileSync(options.out, source, { flag: 'wx' });
      const controls = inspected.frames.reduce((sum, frame) => sum + frame.controls.length, 0);
      note(`wrote ${options.out}: ${controls} controls in ${inspected.frames.length} frame(s)`);
    });
}
