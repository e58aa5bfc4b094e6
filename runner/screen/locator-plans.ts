/**
 * How `ferry inspect` locates a control, in one description that becomes both the code it
 * prints and the Playwright locator it checks, so what is checked is what is printed. Role and
 * label locators come first; a fallback carries a one-line reason.
 */
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { fieldByCaption } from '../browser/field-by-caption.ts';
import type { ScannedControl } from './page-scan.ts';

type Role = 'button' | 'link' | 'radio' | 'checkbox';

/** One way to locate a control, relative to its frame's scope. */
export type LocatorPlan =
  | { by: 'label'; text: string }
  | { by: 'role'; role: Role; name: string }
  | { by: 'caption'; text: string }
  | { by: 'css'; selector: string; reason: string };

/** Frames from the top page down to a frame, each by the selector of its `<frame>`/`<iframe>` element. */
export type FramePath = string[];

const cssString = (value: string) => JSON.stringify(value);
/** A string literal in the generated code's style: single quotes. */
const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** `CSS.escape` for ids, which Node lacks. */
const CSS_ESCAPE = (id: string) => id.replace(/[^\w-]/g, (char) => `\\${char}`).replace(/^(\d)/, '\\3$1 ');

/** Why the author gets a CSS locator for this control rather than a label or a caption. */
function fallbackReason(control: ScannedControl): string {
  const { caption } = control;
  if (caption.where === 'column-header') return `its caption 「${caption.text}」 is its column's <th>, not linked to it`;
  if (caption.where === 'cell-above') return `its caption 「${caption.text}」 is in the cell above, not linked to it`;
  if (control.kind === 'button' || control.kind === 'link') return `no unique accessible name`;
  return caption.text ? `「${caption.text}」 does not single it out` : 'no caption on the page';
}

/** The CSS fallbacks of a control, most stable first. */
function cssPlans(control: ScannedControl): LocatorPlan[] {
  const reason = fallbackReason(control);
  const plans: LocatorPlan[] = [];
  const tag = control.tag === 'a' ? 'a' : control.tag;
  if (control.name && (control.kind === 'radio' || control.kind === 'checkbox')) {
    plans.push({ by: 'css', selector: `${tag}[name=${cssString(control.name)}][value=${cssString(control.options[0]?.value ?? '')}]`, reason });
  }
  if (control.name) plans.push({ by: 'css', selector: `${tag}[name=${cssString(control.name)}]`, reason });
  if (control.id) plans.push({ by: 'css', selector: `#${CSS_ESCAPE(control.id)}`, reason });
  if (control.kind === 'button' && control.tag === 'input' && control.text) plans.push({ by: 'css', selector: `input[value=${cssString(control.text)}]`, reason });
  return plans;
}

/** Every plan for a control, in the order they are tried. */
export function plansFor(control: ScannedControl): LocatorPlan[] {
  const plans: LocatorPlan[] = [];
  const option = control.options[0]?.text;
  if (control.kind === 'button' && control.text) plans.push({ by: 'role', role: 'button', name: control.text });
  else if (control.kind === 'link') plans.push({ by: 'role', role: 'link', name: control.text });
  else if ((control.kind === 'radio' || control.kind === 'checkbox') && option) plans.push({ by: 'role', role: control.kind, name: option });
  else if (control.caption.where === 'label') plans.push({ by: 'label', text: control.caption.text });
  else if (control.caption.where === 'cell-left') plans.push({ by: 'caption', text: control.caption.text });
  return [...plans, ...cssPlans(control)];
}

/** The scope expression of a frame path in generated code, from the expression `page` of the page. */
export function scopeCode(path: FramePath, page: string): string {
  return path.length ? `${page}${path.map((selector) => `.frameLocator(${literal(selector)})`).join('')}.locator(':root')` : page;
}

/** The code of a plan on scope `scope`. */
export function planCode(plan: LocatorPlan, scope: string): string {
  switch (plan.by) {
    case 'label': return `${scope}.getByLabel(${literal(plan.text)}, { exact: true })`;
    case 'role': return `${scope}.getByRole('${plan.role}', { name: ${literal(plan.name)}, exact: true })`;
    case 'caption': return `fieldByCaption(${scope}, ${literal(plan.text)})`;
    case 'css': return `${scope}.locator(${literal(plan.selector)})`;
  }
}

/** The live scope of a frame path, built as `scopeCode` writes it. */
export function scopeOf(page: Page, path: FramePath): Page | Locator {
  if (!path.length) return page;
  let frames: Page | FrameLocator = page;
  for (const selector of path) frames = frames.frameLocator(selector);
  return (frames as FrameLocator).locator(':root');
}

/** The live locator of a plan, built as `planCode` writes it. */
export function planLocator(plan: LocatorPlan, scope: Page | Frame | Locator): Locator {
  switch (plan.by) {
    case 'label': return scope.getByLabel(plan.text, { exact: true });
    case 'role': return scope.getByRole(plan.role, { name: plan.name, exact: true });
    case 'caption': return fieldByCaption(scope, plan.text);
    case 'css': return scope.locator(plan.selector);
  }
}

/** Whether a plan resolves to exactly the scanned control. */
export async function singlesOut(plan: LocatorPlan, scope: Page | Locator, control: ScannedControl): Promise<boolean> {
  const locator = planLocator(plan, scope);
  if ((await locator.count()) !== 1) return false;
  return (await locator.evaluate((element) => (element as unknown as { __ferryInspect?: number }).__ferryInspect)) === control.index;
}
