/**
 * Filling a legacy form as a person's typing does, but in one round trip: for each field
 * in order, focus, key and input, change and blur, then wait for the requests those
 * events started (an ID number's `onblur` asking the server for a hidden 个人编号, say)
 * before the next field. Setting `value` alone fires none of the scripts such forms hang
 * on their fields, and the save then fails or, worse, stores a record missing what the
 * scripts would have filled.
 */
import type { Frame } from 'playwright-core';
import { pageScript } from './page-script.ts';

/** A field's value: text (or a select's option value), or `{ label }` to pick a select's option by its shown text. */
export type FieldValue = string | { label: string };

/** Options of {@link fillFields}. */
export interface FillFieldsOptions {
  /** The form's `name`. @defaultValue the frame's first form */
  form?: string;
  /** How long the requests a field's events start may take. @defaultValue 15000 */
  requestTimeoutMs?: number;
}

/** A request a field's events started failed or did not end: the system is busy or down, so the run may be retried. */
export class FieldRequestError extends Error {
  constructor(field: string, detail: string) {
    super(`the request field ${field}'s events started ${detail}`);
    this.name = 'FieldRequestError';
  }
}

/** Why the page could not take a value. */
type FillProblem =
  | { kind: 'no-form' }
  | { kind: 'no-field'; field: string }
  | { kind: 'not-typable'; field: string }
  | { kind: 'no-option'; field: string; label: string }
  | { kind: 'request'; field: string; detail: string };

/**
 * Fills the fields of a form in the order given and waits, after each, for the XHR and
 * fetch requests its events started (and one task beyond, for the handlers they run).
 * Returns the name of a select whose options lack the wanted label or value, or null;
 * the caller knows what such a miss means (usually a `BusinessError`). Throws
 * {@link FieldRequestError} when a started request answers an error status, fails, or
 * outlasts `requestTimeoutMs`, and a plain Error when the form or a field is missing or
 * is not one a person could type into (hidden, disabled, read-only).
 */
export async function fillFields(frame: Frame, values: Record<string, FieldValue>, options: FillFieldsOptions = {}): Promise<string | null> {
  const script = pageScript(fillInPage, { formName: options.form ?? null, entries: Object.entries(values), timeoutMs: options.requestTimeoutMs ?? 15_000 });
  const problem = (await frame.evaluate(script)) as FillProblem | null;
  if (!problem) return null;
  const where = options.form ? `form "${options.form}"` : 'the first form';
  switch (problem.kind) {
    case 'no-form': throw new Error(`fillFields: the page has no ${where}`);
    case 'no-field': throw new Error(`fillFields: ${where} has no field named "${problem.field}"`);
    case 'not-typable': throw new Error(`fillFields: field "${problem.field}" is hidden, disabled or read-only; a person could not type into it`);
    case 'no-option': return problem.field;
    case 'request': throw new FieldRequestError(problem.field, problem.detail);
  }
}

/** Runs in the page, through `pageScript`: it may use nothing from outside. */
async function fillInPage({ formName, entries, timeoutMs }: { formName: string | null; entries: [string, FieldValue][]; timeoutMs: number }): Promise<FillProblem | null> {
  interface Tracker { pending: number; failures: string[]; changed: () => void }
  const page = window as unknown as { __ferryRequests?: Tracker };
  if (!page.__ferryRequests) {
    const tracker: Tracker = { pending: 0, failures: [], changed: () => {} };
    const where = (url: string) => new URL(url, location.href).pathname;
    const send = XMLHttpRequest.prototype.send;
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest & { __ferryUrl?: string }, method: string, url: string | URL, ...rest: unknown[]) {
      this.__ferryUrl = `${method.toUpperCase()} ${where(String(url))}`;
      return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof open;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest & { __ferryUrl?: string }, body?: Document | XMLHttpRequestBodyInit | null) {
      let counted = true;
      const ended = () => {
        if (!counted) return;
        counted = false;
        if (this.status === 0 || this.status >= 400) tracker.failures.push(`${this.__ferryUrl} answered ${this.status || 'nothing'}`);
        tracker.pending -= 1;
        tracker.changed();
      };
      tracker.pending += 1;
      this.addEventListener('loadend', ended);
      try {
        send.call(this, body);
      } catch (error) {
        ended();
        throw error;
      }
      // A synchronous request has ended by now.
      if (this.readyState === XMLHttpRequest.DONE) ended();
    };
    const fetchOriginal = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const what = `${(init?.method ?? 'GET').toUpperCase()} ${where(input instanceof Request ? input.url : String(input))}`;
      tracker.pending += 1;
      try {
        const response = await fetchOriginal(input, init);
        if (!response.ok) tracker.failures.push(`${what} answered ${response.status}`);
        return response;
      } catch (error) {
        tracker.failures.push(`${what} failed`);
        throw error;
      } finally {
        tracker.pending -= 1;
        tracker.changed();
      }
    };
    page.__ferryRequests = tracker;
  }
  const tracker = page.__ferryRequests;
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  const settled = async (): Promise<string | null> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await nextTask();
      if (tracker.failures.length > 0) return tracker.failures.splice(0).join('; ');
      if (tracker.pending === 0) return null;
      const left = deadline - Date.now();
      if (left <= 0) return `did not end within ${timeoutMs} ms`;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        tracker.changed = () => { clearTimeout(timer); resolve(); };
      });
    }
  };

  const form = formName ? document.forms.namedItem(formName) : document.forms[0];
  if (!form) return { kind: 'no-form' };
  tracker.failures.length = 0;
  for (const [name, value] of entries) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    if (!field || !('value' in field)) return { kind: 'no-field', field: name };
    if (field.type === 'hidden' || field.disabled || ('readOnly' in field && field.readOnly)) return { kind: 'not-typable', field: name };
    let text: string;
    if (field instanceof HTMLSelectElement) {
      const option = typeof value === 'string'
        ? [...field.options].find((candidate) => candidate.value === value)
        : [...field.options].find((candidate) => candidate.text.trim() === value.label);
      if (!option) return { kind: 'no-option', field: name, label: typeof value === 'string' ? value : value.label };
      text = option.value;
    } else {
      text = typeof value === 'string' ? value : value.label;
    }
    field.focus();
    field.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'Unidentified' }));
    field.value = text;
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    field.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true, key: 'Unidentified' }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
    field.blur();
    const failed = await settled();
    if (failed) return { kind: 'request', field: name, detail: failed };
  }
  return null;
}
