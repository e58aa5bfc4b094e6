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

/**
 * The command lines of those of `pids` still running once the exits under way have had
 * `withinMs` to end. A process SIGKILLed a moment ago may still be tearing down (its command
 * line already empty) when its parent's exit is seen: that one is not left running, and
 * one that nothing stopped still runs at the deadline.
 */
export async function leftRunning(pids: number[], withinMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  while (pids.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return pids.filter(isRunning).map((pid) => commandOf(pid) || `pid ${pid} (exiting)`);
}
