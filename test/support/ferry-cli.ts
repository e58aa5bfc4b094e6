/** The `ferry` command as a real child process, for tests of what a user sees. */
import { execFile } from 'node:child_process';
import { FERRY_BIN } from '../../cli/ferry-process.ts';

/** What one `ferry` command printed, and how it exited. */
export interface FerryResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ferry <args>` with `env` added to this process's environment, to its exit; `input` is piped to its standard input. */
export function runFerry(args: string[], env: Record<string, string>, timeoutMs = 120_000, input?: string): Promise<FerryResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [FERRY_BIN, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
