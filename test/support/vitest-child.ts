/** A generated test file run as a user runs it: `vitest run <file>` in a child process. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');
const VITEST = join(REPO, 'node_modules', 'vitest', 'vitest.mjs');

/** Runs one test file with `env` added; resolves with its exit code and what it printed. */
export function runVitest(file: string, env: Record<string, string>, timeoutMs = 300_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VITEST, 'run', file, '--reporter=default', '--no-color'], {
      cwd: REPO, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024,
      // The generated folder is left out of the suite; this run asks for it.
      env: { ...process.env, ...env, FERRY_RUN_GENERATED: '1', NO_COLOR: '1' },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }));
  });
}
