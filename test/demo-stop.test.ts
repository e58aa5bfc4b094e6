/**
 * The demo owns its data dir, and Ctrl-C stops it cleanly. While a demo moves its batch, a
 * second `ferry demo` on the same data dir exits 2 naming the first one's pid, and the first
 * demo's ledger and users are untouched. Ctrl-C (SIGINT to the demo's process group, as a
 * terminal sends it) during the batch then lets the runs in flight finish: exit 0, no
 * process left (Chromium, redis-server), nothing CLAIMED, SUBMITTING, UNKNOWN or
 * NEEDS_REVIEW, no job active. Nor does a demo wipe a namespace a live worker uses.
 *
 * The batch is far longer than the test: on a loaded machine the second `ferry demo` can take
 * a minute to start, and a 60-record batch was through by then, leaving no run in flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../cli/ferry-process.ts';
import { DEMO_NAMESPACE, DEMO_RECIPE } from '../cli/demo.ts';
import { parseConfig } from '../runner/config.ts';
import { Ledger, type LedgerEntry, type LedgerState } from '../runner/ledger/ledger.ts';
import { answersPing } from '../runner/redis/connect.ts';
import { embeddedRedisDir, embeddedRedisUrl } from '../runner/redis/embedded-redis.ts';
import { RedisKeys } from '../runner/redis/keys.ts';
import { redisOptions } from '../runner/redis/redis-url.ts';
import { startBeating } from '../runner/status/worker-beat.ts';
import { openRuntime } from '../runner/runtime.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useRedis } from './support/redis.ts';
import { commandOf, descendantsOf, leftRunning } from './support/processes.ts';
import { waitFor } from './support/wait.ts';

const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
/** More than a worker moves in the test's few minutes, at any speed the machine may have. */
const BATCH = 1_000;
const dataDir = mkdtempSync(join(tmpdir(), 'ferry-demo-'));
const { REDIS_URL: _shared, ...inherited } = process.env;
const env: Record<string, string> = {
  ...(inherited as Record<string, string>),
  FERRY_DATA_DIR: dataDir,
  FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
  FERRY_STOP_GRACE_MS: '600000',
};
let demo: ChildProcess | undefined;
const shared = useRedis();

afterAll(() => {
  if (demo && demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid!, 'SIGKILL');
  // After a failed test: the demo's redis-server runs in a process group of its own.
  const redisPid = join(embeddedRedisDir(dataDir), 'redis.pid');
  if (existsSync(redisPid)) {
    try {
      process.kill(Number(readFileSync(redisPid, 'utf8')), 'SIGKILL');
    } catch {
      // already gone, as after a passing test
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The demo's ledger, read over a plain connection (not a Ferry one, so the demo still stops its Redis). */
async function ledgerEntries(redis: Redis): Promise<LedgerEntry[]> {
  return new Ledger(redis, new RedisKeys(DEMO_NAMESPACE)).list(DEMO_RECIPE, BATCH);
}

describe('a demo on a data dir', () => {
  it('is its only owner, and Ctrl-C during its batch finishes the runs in flight and leaves nothing behind', async () => {
    demo = spawn(process.execPath, [FERRY_BIN, 'demo', '--records', String(BATCH), '--dashboard-port', '0'], { env, stdio: 'ignore', detached: true });
    const exited = once(demo, 'exit');
    await waitFor('the demo to start its Redis', async () => {
      const url = embeddedRedisUrl(dataDir);
      return url !== undefined && (await answersPing(url));
    }, 120_000);
    const redis = new Redis(redisOptions(embeddedRedisUrl(dataDir)!));
    redis.on('error', () => {});
    try {
      await waitFor('a run done and one in flight', async () => {
        const states = (await ledgerEntries(redis)).map((entry) => entry.state);
        return states.includes('DONE') && states.some((state) => IN_FLIGHT.includes(state));
      }, 240_000);
      const doneBefore = (await ledgerEntries(redis)).filter((entry) => entry.state === 'DONE');

      const second = await runFerry(['demo', '--records', '3', '--once', '--dashboard-port', '0'], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`pid ${demo.pid}`);
      const after = new Map((await ledgerEntries(redis)).map((entry) => [entry.keyId, entry]));
      for (const entry of doneBefore) expect(after.get(entry.keyId)).toMatchObject({ state: 'DONE', receipt: entry.receipt });
      expect(await redis.exists(new RedisKeys(DEMO_NAMESPACE).user('demo-clerk'))).toBe(1);

      await waitFor('a run in flight', async () => (await ledgerEntries(redis)).some((entry) => IN_FLIGHT.includes(entry.state)), 120_000);
      const inFlight = (await ledgerEntries(redis)).filter((entry) => IN_FLIGHT.includes(entry.state)).map((entry) => entry.keyId);
      const processes = descendantsOf(demo.pid!);
      expect(processes.map(commandOf).some((command) => command.startsWith('redis-server'))).toBe(true);
      redis.disconnect();

      process.kill(-demo.pid!, 'SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(await leftRunning(processes)).toEqual([]);

      const runtime = await openRuntime(parseConfig({ ...env, FERRY_NAMESPACE: DEMO_NAMESPACE }), { role: 'test' });
      try {
        const entries = await ledgerEntries(runtime.redis);
        const stuck = entries.filter((entry) => [...IN_FLIGHT, 'UNKNOWN', 'NEEDS_REVIEW'].includes(entry.state));
        expect(stuck.map((entry) => `${entry.keyId} ${entry.state} ${entry.reason ?? ''}`)).toEqual([]);
        const states = new Map(entries.map((entry) => [entry.keyId, entry.state]));
        for (const keyId of inFlight) expect(['DONE', 'REJECTED']).toContain(states.get(keyId));
        expect(await runtime.queue.getActiveCount()).toBe(0);
        const queued = await runtime.queue.getJobCounts('waiting', 'prioritized', 'delayed');
        expect(Object.values(queued).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0); // the batch was cut short
      } finally {
        await runtime.close();
      }
    } finally {
      redis.disconnect();
    }
  }, 600_000);

  it('refuses to wipe a namespace in which a live worker reports, naming its pid', async () => {
    const keys = new RedisKeys(DEMO_NAMESPACE);
    const redis = new Redis(shared().url);
    const beats = startBeating(redis, keys, `${hostname()}-${process.pid}-test`, () => ({ contexts: 0, pages: 0, lanes: 0 }));
    try {
      await redis.set(`${keys.prefix}:kept`, 'by the live worker');
      const demo = await runFerry(['demo', '--records', '1', '--once', '--dashboard-port', '0'], { ...env, FERRY_DATA_DIR: mkdtempSync(join(tmpdir(), 'ferry-demo-')), REDIS_URL: shared().url });
      expect(demo.code).toBe(2);
      expect(demo.stderr).toContain(`(pid ${process.pid})`);
      expect(await redis.get(`${keys.prefix}:kept`)).toBe('by the live worker');
    } finally {
      await beats.stop();
      redis.disconnect();
    }
  }, 120_000);
});
