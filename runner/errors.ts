/**
 * The error classes that decide what the runner does next. Retry logic matches on
 * `name`, so classification survives crossing a process boundary.
 */

/** The data or a rule is wrong (bad ID checksum, case not approved). Never retried; goes to ops. */
export class BusinessError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BusinessError';
  }
}

/** Options of {@link SessionExpiredError}. */
export interface SessionExpiredOptions extends ErrorOptions {
  /**
   * Id of the bot whose system logged out. A page object need not set it: the runner names
   * the bot whose page object threw. @defaultValue the bot of the page object that threw
   */
  bot?: string;
}

/**
 * The legacy system logged a bot out. The runner logs in again to *that* bot (its lane in
 * the run) and retries at once. `bot` names it; the runner fills it in for errors thrown
 * from a bot's page objects.
 */
export class SessionExpiredError extends Error {
  /** Id of the bot that was logged out, once known. */
  bot?: string;

  constructor(message = 'the session expired', options: SessionExpiredOptions = {}) {
    super(message, options);
    this.name = 'SessionExpiredError';
    this.bot = options.bot;
  }
}

/** A dialog appeared that no page object expected. Fails the run with the dialog's text. */
export class UnexpectedDialogError extends Error {
  constructor(readonly dialogType: string, readonly text: string) {
    super(`unexpected ${dialogType} dialog: ${text}`);
    this.name = 'UnexpectedDialogError';
  }
}

/** Another runner holds this record (its lease is live, or it fenced us out). Retried later. */
export class RecordBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordBusyError';
  }
}

/** Bad input to a trigger: unknown recipe, malformed JSON, schema failure, forbidden key. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** How the runner treats a failure. */
export type FailureKind = 'business' | 'session' | 'recipe-bug' | 'transient';

/** Classifies an error by name (and Playwright's strict-mode message for ambiguous locators). */
export function classifyFailure(error: unknown): FailureKind {
  const name = (error as Error)?.name;
  const message = String((error as Error)?.message ?? '');
  if (name === 'BusinessError') return 'business';
  if (name === 'SessionExpiredError') return 'session';
  if (name === 'UnexpectedDialogError' || message.includes('strict mode violation')) return 'recipe-bug';
  return 'transient';
}
