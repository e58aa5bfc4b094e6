/**
 * A matter's four-colour status, as the overview shows it and the alerts watch it: green
 * at a success rate of 98 % or more, yellow from 90 %, orange from 75 % or when a canary found
 * one of its systems' screens changed, red below that or when one of its systems is unreachable.
 */

export type Colour = 'green' | 'yellow' | 'orange' | 'red';

/** Lower bounds of green, yellow and orange. */
export const THRESHOLDS = { green: 0.98, yellow: 0.9, orange: 0.75 };

/** The colour of a success rate; red whenever a system is unreachable, at least orange when a system's screens changed, green before any run. */
export function colourOf(rate: number | null, reachable: boolean, drifted = false): Colour {
  if (!reachable) return 'red';
  if (rate !== null && rate < THRESHOLDS.orange) return 'red';
  if (drifted) return 'orange';
  if (rate === null || rate >= THRESHOLDS.green) return 'green';
  return rate >= THRESHOLDS.yellow ? 'yellow' : 'orange';
}
