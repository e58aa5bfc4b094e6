/**
 * Memory of a worker process and of its Chromium, read from /proc (Linux): the
 * worker's own VmRSS, and the summed VmRSS of its descendants, which are Chromium's
 * browser, renderer, GPU and utility processes (tesseract runs in worker threads).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory of a worker and of the processes it started, in MiB. */
export interface TreeRss {
  workerMb: number;
  chromiumMb: number;
  chromiumProcesses: number;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Parent pid of every process (`/proc/<pid>/stat`, whose second field may hold spaces). */
function parents(): Map<number, number> {
  const ppids = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readOrEmpty(`/proc/${entry}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 1) ppids.set(Number(entry), Number(fields[1]));
  }
  return ppids;
}

function rssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readOrEmpty(`/proc/${pid}/status`))?.[1] ?? 0);
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

/** Samples `pid` and its descendants now. */
export function treeRss(pid: number): TreeRss {
  const descendants = descendantsOf(pid);
  const mb = (kb: number) => Math.round(kb / 1024);
  return {
    workerMb: mb(rssKb(pid)),
    chromiumMb: mb(descendants.reduce((sum, child) => sum + rssKb(child), 0)),
    chromiumProcesses: descendants.length,
  };
}
