/**
 * Test-only chaos hooks of a worker, switched on by `FERRY_FAULT_POINT`; with it unset
 * (every normal run) there are none. `after-write-before-ledger`: every receipt a write
 * returns is appended to the data dir's {@link CHAOS_WRITE_LOG} (so the chaos tally sees a
 * second row even where the recipe's `find` would return only one), and once the process
 * gets SIGUSR2, its next write kills it (SIGKILL) after the target saved and before the
 * ledger records DONE. `stop-before-write`: the process freezes itself (SIGSTOP) after
 * SUBMITTING, just before its lease check and write. `after-done-before-verify`: the
 * process kills itself (SIGKILL) once the ledger records DONE, before `verify` runs.
 * `stop-before-verify`: the process freezes itself (SIGSTOP) there instead, the first time only.
 * `starve-on-stop`: once the worker is told to stop, its main thread never yields again (an
 * endless run of microtasks, as BullMQ's close can do), so no timer or signal handler of it runs.
 * `FERRY_FAULT_FORGET_SESSIONS_S` makes the worker drop its sessions now and then.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionPool } from '../browser/session-pool.ts';
import type { FerryConfig } from '../config.ts';
import type { RunDependencies, WrittenRecord } from './executor.ts';

/** The file in the data dir where chaos workers append each write's receipt, one JSON {@link WrittenRecord} a line. */
export const CHAOS_WRITE_LOG = 'chaos-writes.ndjson';

/** The hooks the run executor calls around `write` for the configured fault point. */
export function faultPointHooks(config: Pick<FerryConfig, 'faultPoint' | 'dataDir'>): Pick<RunDependencies, 'afterWrite' | 'beforeWrite' | 'beforeVerify'> {
  const point = config.faultPoint;
  if (point === 'after-write-before-ledger') {
    let armed = false;
    process.on('SIGUSR2', () => (armed = true));
    const log = join(config.dataDir, CHAOS_WRITE_LOG);
    return {
      afterWrite: (written) => {
        appendFileSync(log, `${JSON.stringify(written)}\n`);
        if (armed) process.kill(process.pid, 'SIGKILL');
      },
    };
  }
  if (point === 'after-done-before-verify') return { beforeVerify: () => void process.kill(process.pid, 'SIGKILL') };
  if (point === 'stop-before-verify') {
    let stopped = false;
    const stopOnce = () => {
      if (stopped) return;
      stopped = true;
      process.kill(process.pid, 'SIGSTOP');
    };
    return { beforeVerify: stopOnce };
  }
  if (point === 'stop-before-write') return { beforeWrite: () => void process.kill(process.pid, 'SIGSTOP') };
  return {};
}

/** With the `starve-on-stop` fault point, starves the main thread once `stopping` aborts. */
export function starveOnStop(config: Pick<FerryConfig, 'faultPoint'>, stopping: AbortSignal): void {
  if (config.faultPoint !== 'starve-on-stop') return;
  const spin = () => queueMicrotask(spin);
  stopping.addEventListener('abort', spin, { once: true });
}

/** With `FERRY_FAULT_FORGET_SESSIONS_S` set, drops the pool's sessions at that interval; returns the stop. */
export function forgetSessionsNowAndThen(config: Pick<FerryConfig, 'faultForgetSessionsSeconds'>, pool: SessionPool): () => void {
  if (!config.faultForgetSessionsSeconds) return () => {};
  const timer = setInterval(() => void pool.forgetSessions(), config.faultForgetSessionsSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
