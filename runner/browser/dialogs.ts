/**
 * Dialogs are handled on purpose. A page object announces the dialogs it expects
 * (`expectDialog`) before the action that raises them; any other dialog is dismissed,
 * remembered with its text, and fails the run as an UnexpectedDialogError. A bot's context
 * guards every page it opens, popups and new windows included, and remembers a popup's
 * unexpected dialog after the popup has closed.
 */
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import { UnexpectedDialogError } from '../errors.ts';

type DialogType = 'alert' | 'confirm' | 'prompt' | 'beforeunload';

interface Expectation {
  type: DialogType;
  accept: boolean;
  promptText?: string;
  resolve(message: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Options of {@link expectDialog}. */
export interface ExpectDialogOptions {
  /** Accept (OK) or dismiss (Cancel). @defaultValue true */
  accept?: boolean;
  promptText?: string;
  /** How long to wait for the dialog. @defaultValue 15000 */
  timeoutMs?: number;
}

class DialogGuard {
  private readonly expected: Expectation[] = [];
  unexpected: UnexpectedDialogError | null = null;

  constructor(page: Page) {
    page.on('dialog', (dialog) => void this.handle(dialog));
  }

  expect(type: DialogType, options: ExpectDialogOptions): Promise<string> {
    const promise = new Promise<string>((resolve, reject) => {
      const expectation: Expectation = {
        type, accept: options.accept ?? true, promptText: options.promptText, resolve, reject,
        timer: setTimeout(() => {
          this.expected.splice(this.expected.indexOf(expectation), 1);
          reject(new Error(`the expected ${type} dialog did not appear`));
        }, options.timeoutMs ?? 15_000),
      };
      this.expected.push(expectation);
    });
    promise.catch(() => {});
    return promise;
  }

  clear(): void {
    for (const expectation of this.expected.splice(0)) {
      clearTimeout(expectation.timer);
      expectation.reject(new Error(`the expected ${expectation.type} dialog did not appear before the step ended`));
    }
  }

  private async handle(dialog: Dialog): Promise<void> {
    const index = this.expected.findIndex((expectation) => expectation.type === dialog.type());
    if (index < 0) {
      this.unexpected ??= new UnexpectedDialogError(dialog.type(), dialog.message());
      await dialog.dismiss().catch(() => {});
      return;
    }
    const [expectation] = this.expected.splice(index, 1);
    clearTimeout(expectation.timer);
    try {
      if (expectation.accept) await dialog.accept(expectation.promptText);
      else await dialog.dismiss();
      expectation.resolve(dialog.message());
    } catch (error) {
      expectation.reject(error as Error);
    }
  }
}

const guards = new WeakMap<Page, DialogGuard>();
/** The guarded pages of each context, closed ones too until their dialogs are read. */
const pagesByContext = new WeakMap<BrowserContext, Set<Page>>();

/** Installs the guard on a page; the runner does this for every page of a bot's context. */
export function guardDialogs(page: Page): void {
  if (guards.has(page)) return;
  guards.set(page, new DialogGuard(page));
  const context = page.context();
  if (!pagesByContext.has(context)) pagesByContext.set(context, new Set());
  pagesByContext.get(context)!.add(page);
}

/** Announces a dialog the next action will raise; resolves with its text once handled. */
export function expectDialog(page: Page, type: DialogType, options: ExpectDialogOptions = {}): Promise<string> {
  guardDialogs(page);
  return guards.get(page)!.expect(type, options);
}

/** Drops dialog expectations left over from a step that ended, so they cannot swallow a later dialog. */
function clearDialogExpectations(page: Page): void {
  guards.get(page)?.clear();
}

/** The first unexpected dialog since the last call, cleared by reading it. */
function takeUnexpectedDialog(page: Page): UnexpectedDialogError | null {
  const guard = guards.get(page);
  const found = guard?.unexpected ?? null;
  if (guard) guard.unexpected = null;
  return found;
}

/** Drops the dialog expectations of every page of a context (see {@link clearDialogExpectations}). */
export function clearContextDialogExpectations(context: BrowserContext): void {
  for (const page of pagesByContext.get(context) ?? []) clearDialogExpectations(page);
}

/** The first unexpected dialog on any page of a context since the last call, a popup that has since closed included; cleared by reading it. */
export function takeContextUnexpectedDialog(context: BrowserContext): UnexpectedDialogError | null {
  const pages = pagesByContext.get(context) ?? new Set<Page>();
  let found: UnexpectedDialogError | null = null;
  for (const page of [...pages]) {
    const dialog = takeUnexpectedDialog(page);
    found ??= dialog;
    if (page.isClosed()) pages.delete(page);
  }
  return found;
}
