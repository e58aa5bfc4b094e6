/** `ferry worker` as a real child process, to kill and restart in crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { FERRY } from './ferry-cli.ts';

export function spawnWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [FERRY, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

/** Stops a worker with SIGTERM (graceful) and waits for it to exit. */
export async function stopWorker(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}
