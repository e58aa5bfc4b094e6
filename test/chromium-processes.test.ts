/**
 * The Chromium Ferry launches: Playwright's disabled features survive Ferry's own switch
 * (Chromium keeps only the last `--disable-features`), and navigating in a context per bot
 * starts no renderer processes to throw away.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../bench/proc-tree.ts';
import { useAcceptance } from '../fixtures/acceptance/test-helpers.ts';
import { useBrowser } from './support/browser.ts';

const browser = useBrowser();
const acceptance = useAcceptance();

/** The command lines of this process's Chromium processes, by pid. */
function chromiumCommandLines(): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  for (const pid of descendantsOf(process.pid)) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/chrom/.test(args[0])) lines.set(pid, args);
    } catch {
      // gone since the listing
    }
  }
  return lines;
}

/** The renderer processes' pids. A renderer rewrites its title, so its arguments may come as one string. */
const renderers = () => [...chromiumCommandLines()].filter(([, args]) => args.join(' ').includes('--type=renderer')).map(([pid]) => pid).sort();

describe('the Chromium Ferry launches', () => {
  it('keeps every feature Playwright disables, and disables the spare renderer too', () => {
    browser();
    const [, args] = [...chromiumCommandLines()].find(([, line]) => !line.some((arg) => arg.startsWith('--type=')))!;
    const switches = args.filter((arg) => arg.startsWith('--disable-features=')).map((arg) => arg.slice('--disable-features='.length).split(','));
    expect(switches.length).toBeGreaterThan(1);
    const effective = switches.at(-1)!;
    for (const earlier of switches.slice(0, -1)) expect(effective).toEqual(expect.arrayContaining(earlier));
    expect(effective).toContain('SpareRendererForSitePerProcess');
  });

  it('navigates two contexts back and forth in the renderers they already have', async () => {
    const pages = await Promise.all([0, 1].map(async () => (await browser().newContext()).newPage()));
    try {
      for (const page of pages) await page.goto(`${acceptance().url}/login`);
      const before = renderers();
      expect(before.length).toBeGreaterThanOrEqual(2);
      for (let round = 0; round < 6; round++) {
        for (const page of pages) await page.goto(`${acceptance().url}/login?round=${round}`);
      }
      // Without the switch, each navigation here started a spare renderer for the other context and killed the last.
      expect(renderers()).toEqual(before);
    } finally {
      await Promise.all(pages.map((page) => page.context().close()));
    }
  });
});
