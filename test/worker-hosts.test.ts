/**
 * Workers on separate hosts: three `ferry worker` processes, each in a network namespace of its
 * own with its own data dir and address, against a Redis in another namespace (TCP, password,
 * AOF), with the dashboard in a fourth and the fixture systems on this machine's address on the
 * bridge, beside the evidence bucket (s3rver). Nothing runs on 127.0.0.1. Ops on the dashboard's
 * host open the screenshot and trace of a failure a worker host recorded. One host's worker is
 * SIGKILLed mid-batch and another host's link is cut: every record is still entered exactly once,
 * by more than one host, also after the cut host, back on the network, has stopped. Needs root for `ip netns`.
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
import { defectiveCases, enterableCases } from '../fixtures/cases.ts';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { botUrlEnvOf, storeFixtureCredentials } from '../fixtures/wiring.ts';
import { parseConfig } from '../runner/config.ts';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { answersPing } from '../runner/redis/connect.ts';
import { UserStore } from '../runner/access/users.ts';
import { runOutcomes } from '../runner/run/await-outcome.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { SETTLED } from '../runner/scheduler/fan-out.ts';
import type { RunOutcome } from '../runner/run/types.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { PEOPLE } from './support/dashboard.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { setFaults } from './support/fixture-http.ts';
import { useS3Bucket } from './support/s3-bucket.ts';
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

let workers: FerryProcess[];
let boardUrl: string;

beforeAll(() => {
  network = new HostNetwork(['redis', 'board', ...HOSTS]);
});
/** The evidence bucket, on this machine's address on the network, as an on-premise MinIO would be. */
const bucket = useS3Bucket({ address: () => network.gateway });

beforeAll(async () => {
  fixtures = await startFixtures({ host: network.gateway, applicants: 120, faults: { captcha: false } });
  const password = randomBytes(16).toString('hex');
  const redisHost = network.host('redis');
  redis = spawn('ip', ['netns', 'exec', redisHost.netns, 'redis-server', '--port', '6379', '--bind', redisHost.address, '--requirepass', password,
    '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', mkdtempSync(join(dir, 'redis-'))], { stdio: 'ignore' });
  processes.push(redis);
  env = {
    REDIS_URL: `redis://:${password}@${redisHost.address}:6379`, FERRY_NAMESPACE: 'hosts', FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
    FERRY_LOCK_MS: '3000', FERRY_ATTEMPTS: '6', FERRY_STOP_GRACE_MS: '20000', ...botUrlEnvOf(fixtures.urls), ...bucket().env,
  };
  await waitFor('Redis to answer on its host', () => answersPing(env.REDIS_URL));
  runtime = await openRuntime(parseConfig({ ...env, FERRY_DATA_DIR: mkdtempSync(join(dir, 'test-')) }), { role: 'test' });
  await storeFixtureCredentials(runtime.credentials);
  await new UserStore(runtime.redis, runtime.keys).add('opsy', 'ops', PEOPLE.opsy.password, 'test');
  workers = await Promise.all(HOSTS.map((host) => onHost(host, ['worker'], /worker \S+ started/)));
  const board = network.host('board');
  await onHost('board', ['dashboard', '--host', board.address, '--port', '8080'], /Ferry dashboard at http:/);
  boardUrl = `http://${board.address}:8080`;
}, 240_000);

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

/** Queues one enrollment run; returns its id. */
async function trigger(caseNo: string): Promise<string> {
  const job = await triggerRun(runtime.queue, runtime.recipes.get(RECIPE), { caseNo }, {
    trigger: { via: 'cli', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
  });
  return job.id!;
}

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
  it('ops on the dashboard\'s host open the screenshot and trace of a failure a worker host recorded', async () => {
    const failing = defectiveCases(fixtures.applicants)[0];
    const runId = await trigger(failing.caseNo);
    const outcomes = runOutcomes(runtime.queue, runtime.ledger);
    try {
      expect((await outcomes.wait(runId)).state).toBe('REJECTED');
    } finally {
      await outcomes.close();
    }
    const evidence = (await runtime.history.get(runId))?.run.evidence;
    expect(evidence).toMatch(new RegExp(`^s3://${bucket().bucket}/`));
    const ops = new DashboardClient(boardUrl);
    expect((await ops.logIn('opsy', PEOPLE.opsy.password)).status).toBe(303);
    const page = await (await ops.send('GET', `/ops/runs/${encodeURIComponent(runId)}`)).text();
    // The run page links the screenshot and trace of the system the run failed in.
    const bot = /\/evidence\/([a-z0-9-]+)\.png"/.exec(page)?.[1];
    expect(bot, 'a screenshot on the run page').toBeDefined();
    for (const [file, magic] of [[`${bot}.png`, '\x89PNG'], [`${bot}.trace.zip`, 'PK']] as const) {
      const response = await ops.send('GET', `/ops/runs/${encodeURIComponent(runId)}/evidence/${file}`);
      expect(response.status, file).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, magic.length).toString('latin1'), file).toBe(magic);
    }
  });

  it('enter every record once while one host is killed and another cut off', async () => {

    const hostOf = new Map(workers.map((worker, i) => [/worker (\S+) started/.exec(worker.err())![1], HOSTS[i]]));
    const enterable = enterableCases(fixtures.applicants);
    const batch: typeof enterable = [];
    const jobIds: string[] = [];
    /** Queues the next `count` enterable cases. */
    const queueMore = async (count: number) => {
      const next = enterable.slice(batch.length, batch.length + count);
      batch.push(...next);
      jobIds.push(...(await Promise.all(next.map((applicant) => trigger(applicant.caseNo)))));
    };
    await setFaults(fixtures.urls.medicalInsurance, { latencyMs: 300 });
    await queueMore(18);
    /** The hosts whose workers completed runs (BullMQ's `processedBy` is the worker's id). */
    const completedBy = async () => new Set((await runtime.queue.getCompleted()).map((job) => hostOf.get(job.processedBy!)));
    // Each host logs in (captcha) before its first record: minutes on a loaded machine, by which
    // time the hosts already in could have entered the whole batch. So the batch grows while
    // fewer than four of its records are left, until two hosts have entered records and one is in flight.
    await waitFor('records entered by two hosts, and one in flight', async () => {
      const states = (await runtime.ledger.getMany(RECIPE, batch.map((applicant) => applicant.caseNo))).map((entry) => entry?.state);
      if ((await completedBy()).size >= 2 && states.some((state) => IN_FLIGHT.includes(state as LedgerState))) return true;
      const left = states.filter((state) => !state || !SETTLED.includes(state)).length;
      if (left < 4 && batch.length < enterable.length) await queueMore(6);
      return false;
    }, 300_000);
    workers[0].kill('SIGKILL');
    network.cut('host-2');

    const outcomes = runOutcomes(runtime.queue, runtime.ledger);
    let settled: RunOutcome[];
    try {
      settled = await outcomes.waitAll(jobIds);
    } finally {
      await outcomes.close();
    }
    await expectEnteredOnce({ fixtures, runtime }, batch, settled);
    // host-3, the one left whole, finished the batch; the others had entered records before.
    expect([...(await completedBy())].sort()).toEqual(expect.arrayContaining(['host-3']));
    expect((await completedBy()).size).toBeGreaterThan(1);

    // host-3, never cut, stops cleanly. host-2, back on the network, still runs the executions whose
    // jobs were taken over while it was cut: some hang on connections the cut broke, so it may need
    // its whole grace period (exit 1, as documented). Once it is gone, still nothing is doubled.
    network.reconnect('host-2');
    expect(await stopWorker(workers[2]), workers[2].err().slice(-2000)).toBe(0);
    const code = await stopWorker(workers[1]);
    if (code !== 0) expect(workers[1].err()).toContain('stopping at once (grace period over)');
    await expectEnteredOnce({ fixtures, runtime }, batch, settled);
  }, 600_000);
});
