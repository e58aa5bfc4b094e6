/**
 * Folder `runner/screen/`: reading a live screen the way a bot author does: which controls each
 * frame shows, with their captions, code lists and dialogs, and a locator that singles out
 * each. `ferry inspect` prints it as a page-object skeleton; the canary uses it to name the
 * likely replacement of a locator that stopped resolving.
 *
 * What one frame's document shows a bot author: its fields with their captions, selects with
 * their code lists, radio groups, checkboxes and the buttons and links that act, with the
 * dialogs their handlers would raise. `scanDocument` runs inside the page, through
 * `SCAN_SCRIPT`, and tags each element it reports with its index, so Node can check which
 * element a locator resolves to.
 */
import { pageScript } from '../browser/page-script.ts';

/** What the author reads to recognise a control. */
export interface Caption {
  text: string;
  /** `label`: linked `<label>` or aria; `cell-left`: the table cell before the control's; `column-header`: a `<th>` of its column; `cell-above`: the cell above it. */
  where: 'label' | 'cell-left' | 'column-header' | 'cell-above' | 'none';
}

/** One control of a frame. */
export interface ScannedControl {
  /** Index among the frame's scanned controls (also stored on the element as `__ferryInspect`). */
  index: number;
  kind: 'text' | 'password' | 'date' | 'number' | 'file' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'button' | 'link';
  tag: string;
  name: string;
  id: string;
  caption: Caption;
  /** A button's or link's visible name (`value` of an input button). */
  text: string;
  /** A select's options; a radio's or checkbox's own value and label. */
  options: { value: string; text: string }[];
  /** `confirm(…)` and `alert(…)` texts its click handler (or the handler's function) would show. */
  dialogs: { kind: 'confirm' | 'alert'; text: string }[];
  /** True when it submits a form or navigates (submit buttons, links with an href). */
  acts: boolean;
  /** True when its handler opens a window (`window.open`), such as a picker. */
  opensWindow: boolean;
}

/** The document of one frame, scanned. */
export interface FrameScan {
  title: string;
  controls: ScannedControl[];
}

/** Runs in the page: scans `document`. Evaluate it through {@link SCAN_SCRIPT}. */
const scanDocument = (): FrameScan => {
  const squash = (value: string | null | undefined) => (value ?? '').replace(/[\s\u3000\u00a0]+/g, ' ').trim();
  const textOf = (element: Element | null | undefined) => squash(element?.textContent);
  const hasControl = (element: Element) => element.querySelector('input:not([type=hidden]),select,textarea,button') !== null;
  const columnOf = (cell: HTMLTableCellElement) => {
    let column = 0;
    for (let sibling = cell.previousElementSibling; sibling; sibling = sibling.previousElementSibling) column += (sibling as HTMLTableCellElement).colSpan || 1;
    return column;
  };
  const cellAt = (row: Element | null, column: number) => {
    if (!row) return null;
    let at = 0;
    for (const cell of Array.from(row.children)) {
      if (at === column) return cell as HTMLTableCellElement;
      at += (cell as HTMLTableCellElement).colSpan || 1;
      if (at > column) return null;
    }
    return null;
  };
  const linkedLabel = (element: Element) => {
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length) return textOf(labels[0]);
    const aria = element.getAttribute('aria-label');
    if (aria) return squash(aria);
    const ids = element.getAttribute('aria-labelledby');
    return ids ? squash(ids.split(/\s+/).map((id) => textOf(document.getElementById(id))).join(' ')) : '';
  };
  // A radio's or checkbox's own label names its option; its caption is the group's, from the table around it.
  const captionOf = (element: Element, ownLabel: boolean): { text: string; where: 'label' | 'cell-left' | 'column-header' | 'cell-above' | 'none' } => {
    const label = ownLabel ? linkedLabel(element) : '';
    if (label) return { text: label, where: 'label' };
    const cell = element.closest('td,th') as HTMLTableCellElement | null;
    if (!cell) return { text: '', where: 'none' };
    const left = cell.previousElementSibling;
    if (left && /^T[DH]$/.test(left.tagName) && textOf(left) && !hasControl(left)) return { text: textOf(left), where: 'cell-left' };
    const row = cell.parentElement;
    const column = columnOf(cell);
    const above = cellAt(row?.previousElementSibling ?? null, column);
    if (above && textOf(above) && !hasControl(above)) return { text: textOf(above), where: above.tagName === 'TH' ? 'column-header' : 'cell-above' };
    const table = cell.closest('table');
    const headerRow = table?.querySelector('thead tr') ?? Array.from(table?.rows ?? []).find((candidate) => candidate.querySelector('th') && candidate !== row);
    const header = cellAt(headerRow ?? null, column);
    if (header && header.tagName === 'TH' && textOf(header)) return { text: textOf(header), where: 'column-header' };
    return { text: '', where: 'none' };
  };
  const dialogsIn = (source: string) => {
    const found: { kind: 'confirm' | 'alert'; text: string }[] = [];
    for (const match of source.matchAll(/\b(confirm|alert)\s*\(\s*(['"])((?:\\.|(?!\2).)*)\2/g)) found.push({ kind: match[1] as 'confirm' | 'alert', text: match[3] });
    for (const match of source.matchAll(/\b(confirm|alert)\s*\(\s*(?!['"])/g)) if (!found.some((dialog) => dialog.kind === match[1])) found.push({ kind: match[1] as 'confirm' | 'alert', text: '' });
    return found;
  };
  const handlerSource = (element: Element) => {
    const inline = [element.getAttribute('onclick'), element.getAttribute('href')?.startsWith('javascript:') ? element.getAttribute('href') : '', element.closest('form')?.getAttribute('onsubmit') ?? '']
      .filter((part) => part).join(';');
    // A handler that calls a page function (`doSave()`) raises what that function raises.
    const called = Array.from(inline.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)).map((match) => (window as unknown as Record<string, unknown>)[match[1]]);
    return [inline, ...called.filter((fn) => typeof fn === 'function').map((fn) => String(fn))].join('\n');
  };
  const kindOf = (element: Element): ScannedControl['kind'] | null => {
    const tag = element.tagName.toLowerCase();
    if (tag === 'select' || tag === 'textarea') return tag;
    if (tag === 'button') return 'button';
    if (tag === 'a') return element.hasAttribute('href') || element.hasAttribute('onclick') ? 'link' : null;
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    if (['hidden', 'reset'].includes(type)) return null;
    if (['submit', 'button', 'image'].includes(type)) return 'button';
    if (['radio', 'checkbox', 'password', 'date', 'number', 'file'].includes(type)) return type as ScannedControl['kind'];
    return 'text';
  };
  const controls: ScannedControl[] = [];
  for (const element of Array.from(document.querySelectorAll('input,select,textarea,button,a'))) {
    const kind = kindOf(element);
    if (!kind) continue;
    const input = element as HTMLInputElement;
    const text = kind === 'button' || kind === 'link' ? squash(element.tagName === 'INPUT' ? input.value || input.alt : element.textContent) : '';
    if (kind === 'link' && !text) continue;
    const options = kind === 'select'
      ? Array.from((element as HTMLSelectElement).options).map((option) => ({ value: option.value, text: squash(option.text) }))
      : kind === 'radio' || kind === 'checkbox' ? [{ value: input.value, text: linkedLabel(element) || squash(element.nextSibling?.textContent) }] : [];
    const index = controls.length;
    (element as unknown as { __ferryInspect: number }).__ferryInspect = index;
    const source = kind === 'button' || kind === 'link' ? handlerSource(element) : '';
    controls.push({
      index, kind, tag: element.tagName.toLowerCase(), name: element.getAttribute('name') ?? '', id: element.id,
      caption: kind === 'button' || kind === 'link' ? { text: '', where: 'none' } : captionOf(element, kind !== 'radio' && kind !== 'checkbox'),
      text, options, dialogs: dialogsIn(source),
      opensWindow: /\bwindow\.open\s*\(|\bopen\s*\(\s*['"]/.test(source),
      acts: kind === 'link' ? element.hasAttribute('href') && !element.getAttribute('href')?.startsWith('#') : kind === 'button' && (input.type === 'submit' || input.type === 'image' || /submit\s*\(|location|\.do\b|href/.test(source)),
    });
  }
  return { title: squash(document.title), controls };
};

/** `scanDocument` as a script for `frame.evaluate` (see `pageScript`). */
export const SCAN_SCRIPT = pageScript(scanDocument);
