/** For the benchmarks' smoke tests: `ferry bench <args> --json` as a child process in a throwaway data dir. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FERRY_BIN } from '../cli/ferry-process.ts';


/** Runs the benchmark against the Redis at `redisUrl` and returns its last stdout line, parsed. */
export async function benchJson(args: string[], redisUrl: string, timeoutMs = 170_000): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [FERRY_BIN, 'bench', ...args, '--json'], {
      env: { ...process.env, REDIS_URL: redisUrl, FERRY_DATA_DIR: dataDir, FERRY_SECRET_KEY: randomBytes(32).toString('hex') },
      timeout: timeoutMs,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
