/**
 * The one way a long-running `ferry` command (worker, scheduler, dashboard, demo, fixtures)
 * stops. The first SIGINT, SIGTERM or SIGHUP aborts `stopping`: the command stops taking work and
 * lets what is in flight finish; then the close steps it registered run, last opened first.
 * A second signal, or the grace period (FERRY_STOP_GRACE_MS) running out, aborts `forced`:
 * the close steps stop waiting for work in flight, which is left for the next worker.
 * Should even that hang (a main thread that never yields), ./stop-deadline.ts ends the command
 * and what it started 15 s later.
 */
import { once } from 'node:events';
import { note } from './output.ts';
import { startStopDeadline } from './stop-deadline.ts';

/** What a long-running command holds while it runs. */
export interface Lifetime {
  /** Aborted by the first stop signal: take no more work, let work in flight finish. */
  readonly stopping: AbortSignal;
  /** Aborted by a second signal or the end of the grace period: stop waiting for anything. */
  readonly forced: AbortSignal;
  /** Registers a close step; the steps run after the command's body, last registered first. */
  defer(close: () => Promise<unknown> | unknown): void;
  /** Resolves at the first signal (at once when it already came). */
  untilStopped(): Promise<void>;
}

/**
 * `work`, unless `stopping` is aborted first: then a rejection with `stopped()` (by default the
 * signal's reason). A later failure of `work` is handled, so it never goes unhandled.
 */
export function unlessStopped<T>(work: Promise<T>, stopping: AbortSignal | undefined, stopped: () => unknown = () => stopping?.reason): Promise<T> {
  if (!stopping) return work;
  const aborted = stopping.aborted ? Promise.resolve() : once(stopping, 'abort');
  return Promise.race([work, aborted.then(() => Promise.reject(stopped()))]);
}

/** Options of {@link runUntilStopped}. */
export interface StopOptions {
  /** How long in-flight work may take after the first signal. */
  graceMs: number;
}

/**
 * The signals that stop a command. SIGHUP (its terminal closed) too: left to its default it
 * would end Node at once, and Chromium and redis-server, in process groups of their own, would
 * outlive it.
 */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * npm hands the terminal's Ctrl-C on to its child, so one Ctrl-C can arrive twice at once:
 * a signal this soon after the first is the same request to stop, not a second one.
 */
const SAME_REQUEST_MS = 1_000;
const ignoreClosedTerminal = () => {};
/** After a forced stop, the close steps get this long before the process exits regardless. */
const FORCED_EXIT_MS = 10_000;
/** Past the grace period and the forced exit, how long before the stop deadline's thread kills a stop that hangs. */
const DEADLINE_SLACK_MS = 5_000;

/**
 * Runs `body` with signal handling installed from its first line, then the close steps it
 * registered, whether it returned, threw or was stopped. Exit code 0 after a graceful stop,
 * 1 after a forced one.
 */
export async function runUntilStopped(options: StopOptions, body: (lifetime: Lifetime) => Promise<void>): Promise<void> {
  const stopping = new AbortController();
  const forced = new AbortController();
  let firstAt = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const force = (why: string) => {
    if (forced.signal.aborted) return;
    note(`stopping at once (${why}); runs still in flight are left for the next worker`);
    process.exitCode = 1;
    forced.abort();
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping.signal.aborted) {
      firstAt = Date.now();
      note(`${signal}: stopping; finishing work in flight (up to ${Math.round(options.graceMs / 1000)} s; a second Ctrl-C stops at once)`);
      graceTimer = setTimeout(() => force('grace period over'), options.graceMs);
      graceTimer.unref();
      startStopDeadline(options.graceMs + FORCED_EXIT_MS + DEADLINE_SLACK_MS);
      stopping.abort();
    } else if (Date.now() - firstAt >= SAME_REQUEST_MS) {
      force(`second ${signal}`);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // A closed terminal makes writes to it fail; that must not end the runs in flight.
  process.stderr.on('error', ignoreClosedTerminal);
  process.stdout.on('error', ignoreClosedTerminal);
  const steps: (() => Promise<unknown> | unknown)[] = [];
  let failure: unknown;
  try {
    await body({
      stopping: stopping.signal,
      forced: forced.signal,
      defer: (close) => void steps.push(close),
      untilStopped: async () => void (stopping.signal.aborted || (await once(stopping.signal, 'abort'))),
    });
  } finally {
    for (const close of steps.reverse()) {
      // Every step runs even when one fails, so a child process is never left behind.
      await Promise.resolve().then(close).catch((error) => (failure ??= error));
    }
    clearTimeout(graceTimer);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    process.stderr.off('error', ignoreClosedTerminal);
    process.stdout.off('error', ignoreClosedTerminal);
  }
  if (failure) throw failure;
}
