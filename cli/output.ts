/**
 * CLI output: with `--json`, stdout carries only JSON lines (the last is the result);
 * human text goes to stdout otherwise, and progress notes always go to stderr.
 */

/** Prints one JSON line to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints a human line to stdout, unless JSON output was asked for. */
export function say(json: boolean | undefined, text: string): void {
  if (!json) process.stdout.write(`${text}\n`);
}

/** A progress note for a person watching; never on stdout. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
