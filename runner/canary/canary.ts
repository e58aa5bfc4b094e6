/**
 * Folder `runner/canary/`: selector drift, seen before a nightly sync fails on it. A bot's
 * canaries (`defineBot({ canaries })`) open its screens read-only and check that each locator
 * of its page objects resolves to exactly one element; one that does not is reported with the
 * likely replacement, scored and cropped from the screen. Reports and what each locator last
 * resolved to are kept in Redis; `ferry canary`, the hourly canary job and each sync run them.
 *
 * Checking one bot's screens on a logged-in page.
 */
import type { Locator, Page } from 'playwright-core';
import type { Bot } from '../define/bot.ts';
import { planLocator, scopeCode, scopeOf, planCode, type FramePath } from '../screen/locator-plans.ts';
import { readScreen, type ScreenFrame } from '../screen/read-screen.ts';
import { fingerprintOf, likelyReplacements, type Candidate, type Fingerprint, type SharedTrait } from './suggest.ts';

/** A control that may replace a locator that stopped resolving. */
export interface Suggestion {
  /** The locator that singles it out, as page-object code on `page`. */
  locator: string;
  frame: FramePath;
  score: number;
  /** What it shares with what the locator found last time (or with the locator's own text). */
  because: SharedTrait[];
  /** A PNG crop of the screen around it, base64; absent when it could not be taken. */
  crop?: string;
}

/** A locator of a screen that does not resolve to exactly one element, or a screen that did not open. */
export interface LocatorProblem {
  screen: string;
  /** The locator's name in the canary; '' when the screen itself did not open. */
  locator: string;
  /** How Playwright describes the locator. */
  description: string;
  found: number;
  /** Why, when the screen did not open. */
  reason?: string;
  suggestions: Suggestion[];
}

/** One canary pass over a bot's screens. */
export interface CanaryReport {
  bot: string;
  title: string;
  /** ISO time of the check. */
  checkedAt: string;
  screens: number;
  locators: number;
  problems: LocatorProblem[];
}

/** The key of a locator in the baseline: screen and name. */
export const baselineKey = (screen: string, locator: string) => `${screen}\n${locator}`;

/** A crop of the screen around a candidate: its row's width and a margin, so its caption shows. */
async function cropAround(page: Page, candidate: Candidate): Promise<string | undefined> {
  const box = await planLocator(candidate.planned.plan, scopeOf(page, candidate.frame.path)).boundingBox({ timeout: 3000 }).catch(() => null);
  if (!box) return undefined;
  const x = Math.max(0, box.x - 260);
  const y = Math.max(0, box.y - 10);
  const shot = await page.screenshot({ clip: { x, y, width: box.x - x + box.width + 20, height: box.height + 20 }, timeout: 5000 }).catch(() => undefined);
  return shot?.toString('base64');
}

/** Where in the scanned frames a locator that resolved to one element points: `frameIndex:controlIndex`. */
async function positionOf(locator: Locator, frames: ScreenFrame[]): Promise<{ frameIndex: number; index: number } | null> {
  const handle = await locator.elementHandle({ timeout: 3000 });
  if (!handle) return null;
  try {
    const frame = await handle.ownerFrame();
    const index = await handle.evaluate((element) => (element as unknown as { __ferryInspect?: number }).__ferryInspect);
    const frameIndex = frames.findIndex((scanned) => scanned.frame === frame);
    return frameIndex >= 0 && typeof index === 'number' ? { frameIndex, index } : null;
  } finally {
    await handle.dispose();
  }
}

/**
 * Runs every canary of `bot` on `page` (logged in). Returns the report and, for each locator
 * that resolved, what it resolved to (the next baseline).
 */
export async function checkScreens(
  bot: Bot<unknown>, page: Page, baseUrl: string, baseline: Map<string, Fingerprint>,
): Promise<{ report: CanaryReport; resolved: Map<string, Fingerprint> }> {
  const problems: LocatorProblem[] = [];
  const resolved = new Map<string, Fingerprint>();
  let locatorCount = 0;
  for (const canary of bot.canaries ?? []) {
    try {
      await canary.open(page, baseUrl);
    } catch (error) {
      problems.push({ screen: canary.screen, locator: '', description: '', found: 0, reason: `the screen did not open: ${(error as Error).message.split('\n')[0]}`, suggestions: [] });
      continue;
    }
    const frames = await readScreen(page);
    const locators = Object.entries(canary.locators(page));
    locatorCount += locators.length;
    const taken = new Set<string>();
    const missing: { name: string; locator: Locator; found: number }[] = [];
    for (const [name, locator] of locators) {
      const found = await locator.count().catch(() => 0);
      const position = found === 1 ? await positionOf(locator, frames) : null;
      if (!position) {
        missing.push({ name, locator, found });
        continue;
      }
      taken.add(`${position.frameIndex}:${position.index}`);
      const frame = frames[position.frameIndex];
      const control = frame.controls.find((planned) => planned.control.index === position.index)?.control;
      if (control) resolved.set(baselineKey(canary.screen, name), fingerprintOf(control, frame.path));
    }
    for (const { name, locator, found } of missing) {
      const description = String(locator);
      const candidates = likelyReplacements(frames, taken, baseline.get(baselineKey(canary.screen, name)), description);
      const suggestions = await Promise.all(candidates.map(async (candidate) => ({
        locator: planCode(candidate.planned.plan, scopeCode(candidate.frame.path, 'page')),
        frame: candidate.frame.path, score: candidate.score, because: candidate.because, crop: await cropAround(page, candidate),
      })));
      problems.push({ screen: canary.screen, locator: name, description, found, suggestions });
    }
  }
  const report = { bot: bot.id, title: bot.title, checkedAt: new Date().toISOString(), screens: bot.canaries?.length ?? 0, locators: locatorCount, problems };
  return { report, resolved };
}
