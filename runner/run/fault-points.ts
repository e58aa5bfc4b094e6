/**
 * Test-only chaos hooks of a worker, switched on by `FERRY_FAULT_POINT`; with it unset
 * (every normal run) there are none. `after-write-before-ledger`: once the process gets
 * SIGUSR2, its next write kills it (SIGKILL) after the target saved and before the ledger
 * records DONE. `stop-before-write`: the process freezes itself (SIGSTOP) after SUBMITTING,
 * just before its lease check and write. `after-done-before-verify`: the process kills
 * itself (SIGKILL) once the ledger records DONE, before `verify` runs.
 */
import type { FerryConfig } from '../config.ts';
import type { RunDependencies } from './executor.ts';

/** The hooks the run executor calls around `write` for the configured fault point. */
export function faultPointHooks(point: FerryConfig['faultPoint']): Pick<RunDependencies, 'afterWrite' | 'beforeWrite' | 'beforeVerify'> {
  if (point === 'after-write-before-ledger') {
    let armed = false;
    process.on('SIGUSR2', () => (armed = true));
    return { afterWrite: () => void (armed && process.kill(process.pid, 'SIGKILL')) };
  }
  if (point === 'after-done-before-verify') return { beforeVerify: () => void process.kill(process.pid, 'SIGKILL') };
  if (point === 'stop-before-write') return { beforeWrite: () => void process.kill(process.pid, 'SIGSTOP') };
  return {};
}
