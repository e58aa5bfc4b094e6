/**
 * How long a run waits before its next attempt: exponential from one second, with jitter so
 * runs that failed together do not come back together, and capped so a run late in its
 * attempts still comes back within a minute instead of after many minutes.
 */

/** The BullMQ backoff `type` of run jobs; workers resolve it with {@link retryDelayMs}. */
export const RUN_BACKOFF = { type: 'ferry-capped', delay: 1000 } as const;

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** The wait before the attempt after `attemptsMade` failed ones: 1 s, 2 s, 4 s … up to 30 s, ±25 %. */
export function retryDelayMs(attemptsMade: number): number {
  const base = Math.min(RUN_BACKOFF.delay * 2 ** Math.max(0, attemptsMade - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
