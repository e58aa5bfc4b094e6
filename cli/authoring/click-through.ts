/**
 * How `ferry inspect` reaches a screen that only opens from a menu.
 */
import type { Page } from 'playwright-core';
import { InputError } from '../../runner/errors.ts';

/**
 * Clicks, in order, the link or button named each of `names` in whichever frame shows exactly
 * one, and waits for what it loads: how an author reaches a screen that only opens from a menu
 * (a frameset's menu loading the `main` frame, say). An InputError names a name no frame shows.
 */
export async function clickThrough(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    const candidates = page.frames().flatMap((frame) => (['link', 'button'] as const).map((role) => frame.getByRole(role, { name, exact: true })));
    const counts = await Promise.all(candidates.map((candidate) => candidate.count()));
    const target = candidates[counts.indexOf(1)];
    if (!target) throw new InputError(`No frame of ${page.url()} shows exactly one link or button named "${name}".`);
    const navigated = page.waitForEvent('framenavigated', { timeout: 10_000 }).catch(() => undefined);
    await target.click();
    await navigated;
    for (const frame of page.frames()) await frame.waitForLoadState('load').catch(() => {});
  }
}
