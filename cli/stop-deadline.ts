/**
 * The last word on a stop that hangs. The grace period and the forced exit are timers of the
 * main thread, and a main thread that never yields (BullMQ retrying a write without a pause
 * while it closes, taskforcesh/bullmq#2430) never runs them. So the first stop signal also starts
 * a thread of its own, which the main thread cannot starve: at the deadline it SIGKILLs the
 * processes the command had started (Chromium: in process groups of their own, they would
 * outlive it) and then the command itself. An embedded redis-server is spared: other Ferry
 * processes on the same data dir may still use it, and the next start reuses it.
 */
import { Worker } from 'node:worker_threads';
import { descendantsOf, procStat } from '../bench/proc-tree.ts';

/** Plain JavaScript, run by the deadline's thread: it needs no module of the project. */
const DEADLINE_THREAD = `
const { workerData } = require('node:worker_threads');
setTimeout(() => {
  for (const pid of [...workerData.children, process.pid]) {
    try { process.kill(pid, 'SIGKILL'); } catch {}
  }
}, workerData.ms);
`;

/**
 * Starts the deadline: `ms` from now, unless the process has exited by then, the processes
 * below it now (but redis-server), and then the process, are SIGKILLed. The thread keeps nothing alive.
 */
export function startStopDeadline(ms: number): void {
  const children = descendantsOf(process.pid).filter((pid) => procStat(pid)?.comm !== 'redis-server').reverse();
  const thread = new Worker(DEADLINE_THREAD, { eval: true, workerData: { ms, children } });
  thread.unref();
}
