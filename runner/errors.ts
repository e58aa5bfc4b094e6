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

/** A recipe or bot uses Ferry's API wrongly (a kept document's name, say). Never retried: the code must change. */
export class RecipeBugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecipeBugError';
  }
}

/** Another runner holds this record (its lease is live, or it fenced us out). Retried later. */
export class RecordBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordBusyError';
  }
}

/**
 * Thrown by a bot's log-in when the system refuses the account itself: a wrong password, a
 * locked or expired account. Not retried blindly: after two refusals the bot's circuit pauses
 * its logins on every worker, so the system's lockout (often five wrong passwords) is never reached.
 */
export class LoginRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginRefusedError';
  }
}

/** What a held run's history says it waits for: a paused bot, a bot's busy sessions, Redis replicas, or another runner's write that may still land. */
export type HeldFor = 'paused' | 'busy' | 'replicas' | 'in-flight';

/** A run cannot go on now for a reason that is no fault of the run; it waits in the queue until `retryAt` without spending an attempt. */
export abstract class RunHeldError extends Error {
  /** What the run waits for, as its history says it. */
  abstract readonly heldFor: HeldFor;

  /** `bot` is the bot the run waits for, when it waits for one. */
  constructor(message: string, readonly retryAt: number, readonly bot?: string) {
    super(message);
  }
}

/** A bot's circuit does not let it log in now (paused after refusals, or open while its system does not answer). Its runs wait without spending attempts. */
export class BotPausedError extends RunHeldError {
  readonly heldFor = 'paused';

  constructor(bot: string, readonly reason: string, retryAt: number) {
    super(`${bot} is paused: ${reason}`, retryAt, bot);
    this.name = 'BotPausedError';
  }
}

/** Every session the bot may hold (its `maxSessions`, across all workers) stayed busy while the run waited for one. The run waits in the queue without spending an attempt. */
export class SessionsBusyError extends RunHeldError {
  readonly heldFor = 'busy';

  constructor(bot: string, waitedMs: number, retryAt: number) {
    super(`no ${bot} session became free within ${waitedMs} ms`, retryAt, bot);
    this.name = 'SessionsBusyError';
  }
}

/**
 * Fewer Redis replicas than `FERRY_REDIS_MIN_REPLICAS` acknowledged a ledger write that decides
 * whether a record may be written (claim, SUBMITTING, DONE), or the primary refused the write
 * (NOREPLICAS). A fail-over could lose that write, so the run does not act on it: it waits in
 * the queue without spending an attempt. `state` is the write that was not acknowledged.
 */
export class ReplicasBehindError extends RunHeldError {
  readonly heldFor = 'replicas';

  constructor(readonly state: string, detail: string, retryAt: number) {
    super(`Redis replicas did not acknowledge the ledger's ${state}: ${detail}`, retryAt);
    this.name = 'ReplicasBehindError';
  }
}

/**
 * The runner that held this record lost its lease while it was entering it (its host died or was
 * cut off), and `find` does not see the record yet. A request that runner had already sent may
 * still reach the target (a cut link delivers it when it comes back), so this run waits in the
 * queue until `retryAt`, the end of that runner's lease plus `FERRY_INFLIGHT_GRACE_MS`, and then
 * looks again before it writes. No attempt is spent.
 */
export class WriteInFlightError extends RunHeldError {
  readonly heldFor = 'in-flight';

  constructor(recipe: string, keyId: string, retryAt: number) {
    super(`a write of ${recipe}/${keyId} by a runner that lost its lease may still reach the target; looking again after ${new Date(retryAt).toISOString()}`, retryAt);
    this.name = 'WriteInFlightError';
  }
}

/** Bad input to a trigger: unknown recipe, malformed JSON, schema failure, forbidden key. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * How the runner treats a failure:
 * - `business`: the record is refused (REJECTED), never retried;
 * - `session`: the bot logs in again and the run retries at once;
 * - `configuration`: a setting is missing or wrong (no stored credentials, a key that opens
 *   nothing): no retry can fix it, so the run fails at once with the fix in its reason;
 * - `recipe-bug`: the recipe's or a bot's own code is wrong (an unexpected dialog, an ambiguous
 *   locator, a ReferenceError in Node or in a browser-side callback): no retry either;
 * - `transient`: anything else (a slow page, a 500, a lost lease): retried with backoff.
 */
export type FailureKind = 'business' | 'session' | 'configuration' | 'recipe-bug' | 'transient';

const CONFIGURATION_ERRORS = new Set(['ConfigError', 'SecretKeyError']);
/** Errors JavaScript raises for code that cannot run as written; TypeError is left out, as `fetch failed` is one. */
const CODE_ERRORS = new Set(['ReferenceError', 'SyntaxError']);
/** A browser-side callback (`page.evaluate`, `locator.evaluateAll`, `$eval`, `waitForFunction`) that threw a code error. */
const BROWSER_CODE_ERROR = /^\w+\.(?:evaluate\w*|\$\$?eval|waitForFunction): (?:ReferenceError|SyntaxError|TypeError)\b/;

/** Classifies an error by name (and by message for Playwright's strict mode and browser-side callbacks). */
export function classifyFailure(error: unknown): FailureKind {
  const name = (error as Error)?.name;
  const message = String((error as Error)?.message ?? '');
  if (name === 'BusinessError') return 'business';
  if (name === 'SessionExpiredError') return 'session';
  if (CONFIGURATION_ERRORS.has(name)) return 'configuration';
  if (name === 'UnexpectedDialogError' || name === 'RecipeBugError' || message.includes('strict mode violation')) return 'recipe-bug';
  if (CODE_ERRORS.has(name) || BROWSER_CODE_ERROR.test(message)) return 'recipe-bug';
  return 'transient';
}

/** What ops should do about a failure no retry fixes, said in the run's reason; '' for the other kinds. */
export function fixFor(error: unknown): string {
  const kind = classifyFailure(error);
  const message = String((error as Error)?.message ?? '');
  if (kind === 'configuration') return 'Not retried: fix the setting, then retry the run (dashboard or `ferry retry <run>`).';
  if (kind !== 'recipe-bug') return '';
  if (message.includes('__name is not defined')) {
    return 'Not retried: a browser-side callback names an inner function (a function declaration or a const arrow), which tsx wraps in a call of __name that the page lacks; write the helper inline, then retry the run.';
  }
  return 'Not retried: a bug in the recipe or bot code; fix it, then retry the run (dashboard or `ferry retry <run>`).';
}
