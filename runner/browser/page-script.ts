/**
 * A function written in TypeScript to run in a page, as a script string. Under tsx, a
 * function's inner helpers (const arrows, function declarations) are wrapped in calls of
 * `__name`, which pages lack; the script brings a `__name` of its own that does nothing,
 * scoped to the script, so the page's globals are untouched.
 */

/**
 * `fn(arg)` as a script for `frame.evaluate`, whose value is what `fn` returns (awaited
 * when it is a promise). `arg` must survive `JSON.stringify`.
 */
export function pageScript(fn: (arg: never) => unknown, arg?: unknown): string {
  return scriptCalling(fn, arg === undefined ? '' : JSON.stringify(arg));
}

/** `fn(document)` as a script for `frame.evaluate`: the frame's own document is the argument. */
export function documentScript(fn: (document: Document) => unknown): string {
  return scriptCalling(fn, 'document');
}

function scriptCalling(fn: (arg: never) => unknown, argument: string): string {
  return `(() => { const __name = (fn) => fn; return (${String(fn)})(${argument}); })()`;
}
