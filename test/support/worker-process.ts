/** `ferry` commands as real child processes (workers, triggers), to kill, freeze and restart in chaos tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { FERRY } from './ferry-cli.ts';

/** A `ferry` child process that keeps what it printed. */
export interface FerryProcess extends ChildProcess {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/** Starts `ferry <args>` with the given environment. */
export function spawnFerry(args: string[], env: Record<string, string>): FerryProcess {
  const child = spawn(process.execPath, [FERRY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return Object.assign(child, { out: () => stdout, err: () => stderr });
}

export function spawnWorker(env: Record<string, string>): FerryProcess {
  return spawnFerry(['worker'], env);
}

/** Stops a worker with SIGTERM (graceful) and waits for it to exit. */
export async function stopWorker(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}
