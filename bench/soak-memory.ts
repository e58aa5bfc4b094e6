/**
 * Memory of a worker process and of its Chromium, read from /proc (Linux): the
 * worker's own VmRSS, and the summed VmRSS of its descendants, which are Chromium's
 * browser, renderer, GPU and utility processes (tesseract runs in worker threads).
 */
import { descendantsOf, readOrEmpty } from './proc-tree.ts';

/** Resident memory of a worker and of the processes it started, in MiB. */
export interface TreeRss {
  workerMb: number;
  chromiumMb: number;
  chromiumProcesses: number;
}

function rssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readOrEmpty(`/proc/${pid}/status`))?.[1] ?? 0);
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
