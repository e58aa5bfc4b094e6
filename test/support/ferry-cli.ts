/** The `ferry` command as a real child process, for tests of what a user sees. */
import { execFile } from 'node:child_process';
import { FERRY_BIN } from '../../cli/ferry-process.ts';

/** What one `ferry` command printed, and how it exited. */
export interface FerryResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ferry <args>` with `env` added to this process's environment, to its exit; `input` is piped to its standard input.
 * Rejects when the command did not exit by itself: at `timeoutMs` it is stopped (SIGTERM, so it cleans up its children;
 * SIGKILL if it has not exited 15 s later) and rejects whatever code it then exits with; a command killed by any signal rejects too.
 */
export function runFerry(args: string[], env: Record<string, string>, timeoutMs = 120_000, input?: string): Promise<FerryResult> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const child = execFile(process.execPath, [FERRY_BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      clearTimeout(timer);
      clearTimeout(killer);
      const { code, signal } = (error ?? {}) as { code?: number | string | null; signal?: NodeJS.Signals | null };
      if (!timedOut && !error) return resolve({ code: 0, stdout, stderr });
      if (!timedOut && typeof code === 'number') return resolve({ code, stdout, stderr });
      const how = timedOut ? `did not exit within ${timeoutMs} ms` : signal ? `was killed by ${signal}` : `did not finish: ${error?.message}`;
      reject(new Error(`ferry ${args.join(' ')} ${how}; its stderr:\n${stderr}`));
    });
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    }, timeoutMs);
    if (input !== undefined) child.stdin?.end(input);
  });
}
