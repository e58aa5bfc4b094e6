/**
 * The demo with questions: `--unreadable 1` draws every permit number image blank, so each run
 * of an applicant from outside the city asks a person; `--auto-answer` answers as the clerk
 * would. The summary counts the questions, none is left waiting, and every record is entered
 * once (or rejected for its own bad data).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../cli/ferry-process.ts';
import type { DemoSummary } from '../cli/demo.ts';
import { embeddedRedisDir } from '../runner/redis/embedded-redis.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ferry-demo-ask-'));
const { REDIS_URL: _shared, ...inherited } = process.env;

afterAll(() => {
  // After a failed run: the demo's redis-server runs in a process group of its own.
  const redisPid = join(embeddedRedisDir(dataDir), 'redis.pid');
  if (existsSync(redisPid)) {
    try {
      process.kill(Number(readFileSync(redisPid, 'utf8')), 'SIGKILL');
    } catch {
      // already gone, as after a passing run
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ferry demo --unreadable 1 --auto-answer', () => {
  it('answers every question, enters each record once, and counts the questions in its summary', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      FERRY_BIN, 'demo', '--records', '16', '--once', '--json', '--unreadable', '1', '--auto-answer', '--dashboard-port', '0',
    ], { env: { ...inherited, FERRY_DATA_DIR: dataDir, FERRY_SECRET_KEY: randomBytes(32).toString('hex') }, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as DemoSummary;
    expect(summary.asked).toBeGreaterThan(0);
    expect(summary).toMatchObject({ records: 16, waiting: 0, failed: 0, duplicateRows: 0 });
    expect(summary.entered + summary.alreadyPresent + summary.rejected).toBe(16);
    expect(summary.targetRows).toBe(summary.entered);
    // The clerk's case, triggered after the other 15 were queued, is entered with its receipt before the batch ends.
    expect(summary.clerk).toMatchObject({ queuedBehind: 15, outcome: { state: 'DONE', created: true } });
    expect(summary.clerk.outcome.receipt).toMatch(/^YB\d+$/);
    expect(summary.clerk.seconds).toBeLessThan(summary.seconds);
  }, 660_000);
});
