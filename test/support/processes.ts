/** Processes as a user sees them in `ps`, read from `/proc`: whether a pid still runs, and its command line. */
import { readFileSync } from 'node:fs';

export { descendantsOf } from '../../bench/proc-tree.ts';

/** True while `pid` runs; a zombie waiting to be reaped counts as gone (unlike `kill -0`). */
export function isRunning(pid: number): boolean {
  try {
    // The command name sits in parentheses and may hold spaces; the state follows it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The command line of `pid`, for a readable failure message. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}
