/**
 * What a BullMQ worker of Ferry's does with its `error` events. BullMQ fetches again at once
 * after a fetch that failed for any reason but a lost connection, so a primary that refuses
 * writes for now (NOREPLICAS while a promoted replica has no replica of its own, READONLY while
 * a client still talks to the old primary, LOADING, MISCONF, MASTERDOWN) would have a worker
 * spin on a core and write thousands of log lines a second for as long as the fail-over lasts.
 * Such an error pauses the worker's fetching instead, for half a second at first and up to 15 s;
 * runs in flight go on. And an error that repeats is logged once per half minute with its count.
 */
import type { Worker } from 'bullmq';
import type { Logger } from '../logger.ts';

/** Replies of a Redis that serves, but refuses writes until its topology settles. */
const REFUSED_FOR_NOW = /^(NOREPLICAS|READONLY|LOADING|MISCONF|MASTERDOWN)\b/;
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 15_000;
/** An error seen again within this long is counted, not logged again. */
const REPEAT_WINDOW_MS = 30_000;

/**
 * Logs `worker`'s errors as `message` (repeats counted, see the file's header) and pauses its
 * fetching while Redis refuses writes. Returns what stops the pending resume (call it on close).
 */
export function handleWorkerErrors(worker: Worker, log: Logger, message: string): () => void {
  const lastLogged = new Map<string, { at: number; repeats: number }>();
  let pauseMs = FIRST_PAUSE_MS;
  let resumeTimer: NodeJS.Timeout | undefined;

  const logThrottled = (error: Error) => {
    const kind = error.message.slice(0, 80);
    const seen = lastLogged.get(kind);
    if (seen && Date.now() - seen.at < REPEAT_WINDOW_MS) {
      seen.repeats++;
      return;
    }
    log.warn({ err: error, ...(seen?.repeats ? { repeatedSinceLastLine: seen.repeats } : {}) }, message);
    lastLogged.set(kind, { at: Date.now(), repeats: 0 });
  };

  const pauseFetching = () => {
    if (resumeTimer || worker.closing) return;
    const forMs = pauseMs;
    pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
    // Not waiting for the runs in flight: they go on, and their own writes wait for replicas.
    void worker.pause(true).catch(() => {});
    resumeTimer = setTimeout(() => {
      resumeTimer = undefined;
      if (!worker.closing) worker.resume();
    }, forMs);
  };

  worker.on('error', (error) => {
    logThrottled(error);
    if (REFUSED_FOR_NOW.test(error.message)) pauseFetching();
  });
  // A job fetched, or an empty queue answered: Redis takes writes again.
  const settled = () => void (pauseMs = FIRST_PAUSE_MS);
  worker.on('active', settled);
  worker.on('drained', settled);
  return () => {
    clearTimeout(resumeTimer);
    resumeTimer = undefined;
  };
}
