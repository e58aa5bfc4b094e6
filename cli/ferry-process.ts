/**
 * `ferry` commands as real child processes (workers, triggers), for code that starts Ferry
 * processes: benchmarks, chaos and tests kill, freeze and restart them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** The absolute path of `bin/ferry.js`; run it with `process.execPath`. */
export const FERRY_BIN = join(import.meta.dirname, '..', 'bin', 'ferry.js');

/** A `ferry` child process that keeps what it printed. */
export interface FerryProcess extends ChildProcess {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/** Options of {@link spawnFerry}. */
export interface SpawnFerryOptions {
  /** A Linux network namespace to run in (`ip netns exec`, which needs root), as a process on another host. */
  netns?: string;
}

/** Starts `ferry <args>` with the given environment. */
export function spawnFerry(args: string[], env: Record<string, string>, options: SpawnFerryOptions = {}): FerryProcess {
  const command = [process.execPath, FERRY_BIN, ...args];
  // `ip netns exec` execs the command in place, so the child's pid is Ferry's own.
  if (options.netns) command.unshift('ip', 'netns', 'exec', options.netns);
  const child = spawn(command[0], command.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return Object.assign(child, { out: () => stdout, err: () => stderr });
}

/** Starts `ferry worker`. */
export function spawnWorker(env: Record<string, string>, options: SpawnFerryOptions = {}): FerryProcess {
  return spawnFerry(['worker'], env, options);
}

/** Stops a worker with SIGTERM (graceful) and waits for it to exit. */
export async function stopWorker(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}
