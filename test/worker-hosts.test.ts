/**
 * Workers on separate hosts: three `ferry worker` processes, each in a network namespace of its
 * own with its own data dir and address, against a Redis in another namespace (TCP, password,
 * AOF), with the dashboard in a fourth and the fixture systems on this machine's address on the
 * bridge. Nothing runs on 127.0.0.1. One host's worker is SIGKILLed mid-batch and another host's
 * link is cut: every record is still entered exactly once, by more than one host, and the cut
 * host, back on the network, stops cleanly. Needs root for `ip netns`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostNetwork } from '../bench/topology/host-network.ts';
import { spawnFerry, spawnWorker, stopWorker, type FerryProcess } from '../cli/ferry-process.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { botUrlEnvOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import { parseConfig } from '../runner/config.ts';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { answersPing } from '../runner/redis/connect.ts';
import { runOutcomes } from '../runner/run/await-outcome.ts';
import { readBeats } from '../runner/status/worker-beat.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { setFaults } from './support/fixture-http.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const HOSTS = ['host-1', 'host-2', 'host-3'];
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
const dir = mkdtempSync(join(tmpdir(), 'ferry-hosts-'));
let network: HostNetwork;
let redis: ChildProcess;
let fixtures: RunningFixtures;
let runtime: Runtime;
let env: Record<string, string>;
const processes: ChildProcess[] = [];

beforeAll(async () => {
  network = new HostNetwork(['redis', 'board', ...HOSTS]);
  fixtures = await startFixtures({ host: network.gateway, applicants: 120, faults: { captcha: false } });
  const password = randomBytes(16).toString('hex');
  const redisHost = network.host('redis');
  redis = spawn('ip', ['netns', 'exec', redisHost.netns, 'redis-server', '--port', '6379', '--bind', redisHost.address, '--requirepass', password,
    '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', mkdtempSync(join(dir, 'redis-'))], { stdio: 'ignore' });
  processes.push(redis);
  env = {
    REDIS_URL: `redis://:${password}@${redisHost.address}:6379`, FERRY_NAMESPACE: 'hosts', FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
    FERRY_LOCK_MS: '3000', FERRY_ATTEMPTS: '6', ...botUrlEnvOf(fixtures.urls),
  };
  await waitFor('Redis to answer on its host', () => answersPing(env.REDIS_URL));
  runtime = await openRuntime(parseConfig({ ...env, FERRY_DATA_DIR: mkdtempSync(join(dir, 'test-')) }), { role: 'test' });
  await storeFixtureCredentials(runtime.credentials);
}, 120_000);

afterAll(async () => {
  for (const child of processes) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await runtime?.close();
  await fixtures?.stop();
  network?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `ferry <args>` on a host, with a data dir of its own, and waits for `ready` in what it prints. */
async function onHost(host: string, args: string[], ready: RegExp): Promise<FerryProcess> {
  const child = spawnFerry(args, { ...env, FERRY_DATA_DIR: mkdtempSync(join(dir, `${host}-`)) }, { netns: network.host(host).netns });
  processes.push(child);
  await waitFor(`${host} to start`, () => {
    if (child.exitCode !== null) throw new Error(`ferry ${args[0]} on ${host} exited ${child.exitCode}: ${child.err()}`);
    return ready.test(child.err() + child.out());
  }, 120_000);
  return child;
}

describe('three worker hosts, Redis and the dashboard on hosts of their own', () => {
  it('enter every record once while one host is killed and another cut off, and the dashboard answers from its host', async () => {
    const workers = await Promise.all(HOSTS.map((host) => onHost(host, ['worker'], /worker \S+ started/)));
    const board = network.host('board');
    await onHost('board', ['dashboard', '--host', board.address, '--port', '8080'], /Ferry dashboard at http:/);
    expect((await fetch(`http://${board.address}:8080/login`)).status).toBe(200);

    const hostOf = new Map(workers.map((worker, i) => [/worker (\S+) started/.exec(worker.err())![1], HOSTS[i]]));
    const batch = enterableCases(fixtures.applicants).slice(0, 18);
    await setFaults(fixtures.urls.medicalInsurance, { latencyMs: 300 });
    const recipe = runtime.recipes.get(RECIPE);
    const jobIds = await Promise.all(batch.map(async (applicant) => (await triggerRun(runtime.queue, recipe, { caseNo: applicant.caseNo }, {
      trigger: { via: 'cli', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
    })).id!));
    /** The hosts whose workers completed runs (BullMQ's `processedBy` is the worker's id). */
    const completedBy = async () => new Set((await runtime.queue.getCompleted()).map((job) => hostOf.get(job.processedBy!)));
    await waitFor('records entered by two hosts, and one in flight', async () => {
      const states = (await runtime.ledger.getMany(RECIPE, batch.map((applicant) => applicant.caseNo))).map((entry) => entry?.state);
      return (await completedBy()).size >= 2 && states.some((state) => IN_FLIGHT.includes(state as LedgerState));
    });
    workers[0].kill('SIGKILL');
    network.cut('host-2');

    const outcomes = runOutcomes(runtime.queue, runtime.ledger);
    try {
      const settled = await outcomes.waitAll(jobIds);
      await expectEnteredOnce({ fixtures, runtime }, batch, settled);
    } finally {
      await outcomes.close();
    }
    // host-3, the one left whole, finished the batch; the others had entered records before.
    expect([...(await completedBy())].sort()).toEqual(expect.arrayContaining(['host-3']));
    expect((await completedBy()).size).toBeGreaterThan(1);

    // Back on the network, host-2's connections resume once TCP retries (its back-off grew while
    // cut); its runs were taken over and its writes fenced. Once it beats again, it stops cleanly.
    network.reconnect('host-2');
    const backAt = Date.now();
    const host2 = [...hostOf].find(([, host]) => host === 'host-2')![0];
    await waitFor('host-2 to beat again', async () => (await readBeats(runtime.redis, runtime.keys)).some((beat) => beat.id === host2 && beat.at > backAt), 180_000);
    for (const worker of workers.slice(1)) {
      const code = await stopWorker(worker);
      expect(code, worker.err().slice(-3000)).toBe(0);
    }
  }, 600_000);
});
