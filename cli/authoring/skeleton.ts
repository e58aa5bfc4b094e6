/**
 * Folder `cli/authoring/`: the tools that bring up a new system, built on `runner/screen/`:
 * `ferry inspect` prints a page-object skeleton of a live screen.
 *
 * The page-object skeleton `ferry inspect` prints: a class with one getter per control, each
 * returning the locator that was checked to resolve to exactly that control, with its caption,
 * code list and dialogs in a comment.
 */
import { planCode, scopeCode, type FramePath } from '../../runner/screen/locator-plans.ts';
import type { ScannedControl } from '../../runner/screen/page-scan.ts';
import type { PlannedControl, ScreenFrame } from '../../runner/screen/read-screen.ts';

/** Everything the skeleton is written from. */
export interface Inspection {
  url: string;
  className: string;
  /** Where the generated file imports Ferry from, e.g. `../../runner/index.ts` or `ferry`. */
  ferryImport: string;
  frames: ScreenFrame[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['page', 'constructor', 'default', 'delete', 'new', 'class', 'function', 'return', 'this', 'for', 'in', 'if', 'do']);

/** `flexible.jsp` → `FlexiblePage`; `/grzh/open.do` → `OpenPage`. */
export function classNameFor(url: string): string {
  const last = new URL(url, 'http://x/').pathname.split('/').filter(Boolean).pop() ?? 'index';
  const words = last.replace(/\.[a-z]+$/i, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('') || 'Screen';
  return `${/^\d/.test(name) ? `P${name}` : name}Page`;
}

/** A unique property name for a control: its `name` or `id` when they are identifiers, else its kind and a number. */
function propertyNamer(): (control: ScannedControl) => string {
  const used = new Set<string>(['page']);
  return (control) => {
    const option = control.kind === 'radio' || control.kind === 'checkbox' ? control.options[0]?.value ?? '' : '';
    const named = [control.name, control.id].find((candidate) => IDENTIFIER.test(candidate) && !RESERVED.has(candidate));
    const stem = `${named ?? control.kind}${/^\w+$/.test(option) ? `_${option}` : ''}`;
    let name = named ? stem : `${stem}1`;
    for (let n = 2; used.has(name); n++) name = `${stem}${n}`;
    used.add(name);
    return name;
  };
}

const WHERE: Record<ScannedControl['caption']['where'], string> = {
  label: 'its linked label', 'cell-left': 'the cell to its left', 'column-header': "its column's header", 'cell-above': 'the cell above', none: '',
};

/** The doc comment of a control: what it is, where its caption sits, its codes and dialogs. */
function describe(planned: PlannedControl): string[] {
  const { control, plan, ambiguous } = planned;
  const option = control.kind === 'radio' || control.kind === 'checkbox' ? control.options[0]?.text : '';
  const what = control.text || [control.caption.text, option].filter(Boolean).join(' = ') || control.name || control.id;
  const role = control.acts ? `${control.kind} that ${control.kind === 'link' ? 'navigates' : 'submits'}` : control.kind;
  const lines = [`${what}: ${role}${control.caption.where !== 'none' && !control.text ? `, captioned by ${WHERE[control.caption.where]}` : ''}.`];
  if (control.kind === 'select') lines.push(`Codes: ${control.options.filter((option) => option.value).map((option) => `${option.value} ${option.text}`).join(', ') || 'none'}.`);
  if (control.opensWindow) lines.push("Its handler opens a window: take it with page.waitForEvent('popup') around the click.");
  for (const dialog of control.dialogs) lines.push(`Its handler may ${dialog.kind === 'confirm' ? 'ask' : 'alert'} ${dialog.text ? `「${dialog.text}」` : '(a computed text)'}: click it inside expectDialog.`);
  if (plan.by === 'css') lines.push(`By CSS: ${plan.reason}.`);
  if (ambiguous !== undefined) lines.push(`FIXME: matches ${ambiguous} elements; scope it before use.`);
  return lines;
}

/** `mainFrame` for a frame whose element is named (or has the id) `main`; `frame<n>` otherwise. */
function frameGetterName(path: FramePath, at: number): string {
  const name = /\[(?:name|id)="([A-Za-z_$][\w$]*)"\]$/.exec(path.at(-1) ?? '')?.[1];
  return name ? `${name}Frame` : `frame${at}`;
}

/** The TypeScript source of the skeleton. */
export function renderSkeleton(inspection: Inspection): string {
  const nameOf = propertyNamer();
  const usesCaption = inspection.frames.some((frame) => frame.controls.some(({ plan }) => plan.by === 'caption'));
  const out = [
    '/**',
    ` * ${inspection.frames[0]?.title || inspection.className}: page object skeleton printed by \`ferry inspect ${inspection.url}\`.`,
    ' * Each getter resolved to exactly one element when it was printed; one that did not is marked.',
    ' * Rename what you keep, delete what the recipe does not need, and add the steps.',
    ' */',
    "import type { Page } from 'playwright-core';",
    ...(usesCaption ? [`import { fieldByCaption } from '${inspection.ferryImport}';`] : []),
    '',
    `export class ${inspection.className} {`,
    '  constructor(readonly page: Page) {}',
  ];
  inspection.frames.forEach((frame, at) => {
    if (!frame.controls.length) return;
    const frameName = frameGetterName(frame.path, at);
    const scope = frame.path.length ? `this.${frameName}` : 'this.page';
    out.push('');
    if (frame.path.length) {
      out.push(`  /** Frame ${frame.path.join(' > ')}${frame.title ? `: ${frame.title}` : ''} (${frame.url}). */`);
      out.push(`  get ${frameName}() {`, `    return ${scopeCode(frame.path, 'this.page')};`, '  }');
    } else {
      out.push(`  // The top page${frame.title ? `: ${frame.title}` : ''}.`);
    }
    for (const planned of frame.controls) {
      const lines = describe(planned);
      out.push('', '  /**', ...lines.map((line) => `   * ${line}`), '   */');
      out.push(`  get ${nameOf(planned.control)}() {`, `    return ${planCode(planned.plan, scope)};`, '  }');
    }
  });
  out.push('}', '');
  return out.join('\n');
}
