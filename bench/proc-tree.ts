/**
 * Processes as Linux's /proc shows them: who is whose parent, and the CPU time each has
 * used. Benchmarks read it to split memory and CPU between Ferry, Chromium and the rest.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** What `/proc/<pid>/stat` says of a process; CPU times in milliseconds. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** The executable's name, at most 15 characters (`chromium`, `node`, `redis-server`). */
  comm: string;
  /** CPU time of the process itself (all its threads), user plus system. */
  ownCpuMs: number;
  /** CPU time of its children that have exited and been waited for. */
  reapedChildrenCpuMs: number;
}

/** Clock ticks per second of the times in `/proc/<pid>/stat`: 100 on every Linux port Node runs on. */
const TICKS_PER_SECOND = 100;

/** The text of a /proc file, or '' once the process is gone. */
export function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** `/proc/<pid>/stat` parsed, or undefined once the process is gone. Its second field may hold spaces. */
export function procStat(pid: number): ProcStat | undefined {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  const commEnd = stat.lastIndexOf(')');
  if (commEnd < 0) return undefined;
  // Fields from the third on: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
  const fields = stat.slice(commEnd + 2).split(' ');
  const ms = (index: number) => (Number(fields[index - 3]) * 1000) / TICKS_PER_SECOND;
  return {
    pid, ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, commEnd),
    ownCpuMs: ms(14) + ms(15), reapedChildrenCpuMs: ms(16) + ms(17),
  };
}

/** Parent pid of every process now. */
function parents(): Map<number, number> {
  const ppids = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = procStat(Number(entry));
    if (stat) ppids.set(stat.pid, stat.ppid);
  }
  return ppids;
}

/** Every process below `pid` (its children, their children, …) right now. */
export function descendantsOf(pid: number): number[] {
  const ppids = parents();
  const descendants: number[] = [];
  for (let frontier = [pid]; frontier.length > 0;) {
    frontier = [...ppids].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    descendants.push(...frontier);
  }
  return descendants;
}

/**
 * CPU time used so far by `pid` and every process below it, the exited ones included:
 * a child that exits is added to its parent's reaped time once waited for, so a sum
 * taken twice over a tree whose root lives counts every process between the two once.
 */
export function treeCpuMs(pid: number): number {
  return [pid, ...descendantsOf(pid)].reduce((sum, each) => {
    const stat = procStat(each);
    return sum + (stat ? stat.ownCpuMs + stat.reapedChildrenCpuMs : 0);
  }, 0);
}
