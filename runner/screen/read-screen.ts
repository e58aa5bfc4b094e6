/**
 * A live screen read as a bot author (or the canary) needs it: every frame (framesets and
 * iframes, nested), each scanned, each control given the first locator plan that resolves to
 * exactly it.
 */
import type { Frame, Page } from 'playwright-core';
import { planCode, plansFor, planLocator, scopeOf, singlesOut, type FramePath, type LocatorPlan } from './locator-plans.ts';
import { SCAN_SCRIPT, type FrameScan, type ScannedControl } from './page-scan.ts';

/** A control with the plan chosen for it. */
export interface PlannedControl {
  control: ScannedControl;
  plan: LocatorPlan;
  /** Elements the plan matched when no plan singled the control out; absent when one did. */
  ambiguous?: number;
}

/** One frame of a screen. */
export interface ScreenFrame {
  /** The live frame, while the page stays open. */
  frame: Frame;
  path: FramePath;
  url: string;
  title: string;
  controls: PlannedControl[];
}

/** The selector of a frame's own `<frame>`/`<iframe>` element in its parent: by name, id, src, or position. */
async function selectorOf(frame: Frame): Promise<string> {
  const element = await frame.frameElement();
  try {
    return await element.evaluate((frameNode) => {
      const node = frameNode as Element;
      const tag = node.tagName.toLowerCase();
      const name = node.getAttribute('name');
      if (name) return `${tag}[name=${JSON.stringify(name)}]`;
      if (node.id) return `${tag}[id=${JSON.stringify(node.id)}]`;
      const src = node.getAttribute('src');
      if (src) return `${tag}[src=${JSON.stringify(src)}]`;
      const siblings = Array.from(node.parentElement?.children ?? []).filter((sibling) => sibling.tagName === node.tagName);
      return `${tag} >> nth=${siblings.indexOf(node)}`;
    });
  } finally {
    await element.dispose();
  }
}

/** The frames from the top page down to `frame`, by their elements' selectors. */
async function pathOf(frame: Frame): Promise<FramePath> {
  const path: FramePath = [];
  for (let at: Frame | null = frame; at?.parentFrame(); at = at.parentFrame()) path.unshift(await selectorOf(at));
  return path;
}

/** The first plan that singles the control out, or the first plan with how many it matched. */
async function planFor(page: Page, path: FramePath, control: ScannedControl): Promise<PlannedControl> {
  const scope = scopeOf(page, path);
  const plans = plansFor(control);
  for (const plan of plans) {
    if (!(await singlesOut(plan, scope, control))) continue;
    const [preferred] = plans;
    // A CSS fallback says why the preferred plan would not do.
    if (plan.by === 'css' && preferred.by !== 'css') {
      const count = await planLocator(preferred, scope).count();
      return { control, plan: { ...plan, reason: `${planCode(preferred, 'scope')} ${count === 1 ? 'finds another element' : `matches ${count} elements`}` } };
    }
    return { control, plan };
  }
  const [first] = plans;
  if (!first) return { control, plan: { by: 'css', selector: control.tag, reason: 'it has no name, id, caption or text' }, ambiguous: await scope.locator(control.tag).count() };
  return { control, plan: first, ambiguous: await planLocator(first, scope).count() };
}

/** Scans every frame of a loaded page. Frames without controls are kept (with none) so their paths show. */
export async function readScreen(page: Page): Promise<ScreenFrame[]> {
  const frames: ScreenFrame[] = [];
  for (const frame of page.frames()) {
    if (frame.isDetached() || (frame.parentFrame() && frame.url() === 'about:blank')) continue;
    const path = await pathOf(frame);
    const scan = (await frame.evaluate(SCAN_SCRIPT)) as FrameScan;
    const controls: PlannedControl[] = [];
    for (const control of scan.controls) controls.push(await planFor(page, path, control));
    frames.push({ frame, path, url: frame.url(), title: scan.title, controls });
  }
  return frames;
}
