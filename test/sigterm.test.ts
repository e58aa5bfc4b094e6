/**
 * Stopping a worker with runs in flight on a slow target (3 s a page): the first SIGTERM or
 * SIGINT lets them finish. Each run ends DONE with exactly one row, the worker exits 0, and
 * none of its processes (Chromium and its helpers) is left running. Also through
 * `npm run -s ferry -- worker`, the way the README starts it. A second signal stops it at
 * once and leaves the runs to the next worker, which enters each record once. A stop that hangs
 * is ended by the stop deadline's thread.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FERRY_BIN, spawnWorker, stopWorker } from '../cli/ferry-process.ts';
import { enterableCases } from '../fixtures/cases.ts';
import type { LedgerState } from '../runner/ledger/ledger.ts';
import { expectEnteredOnce } from './support/exactly-once.ts';
import { useFerry } from './support/ferry.ts';
import { commandOf, descendantsOf, leftRunning } from './support/processes.ts';
import { waitFor } from './support/wait.ts';

const RECIPE = 'flexible-worker-enrollment';
const IN_FLIGHT: LedgerState[] = ['CLAIMED', 'SUBMITTING'];
const REPO = join(import.meta.dirname, '..');
const ferry = useFerry({
  workers: 0,
  env: { FERRY_CONCURRENCY: '2', FERRY_STOP_GRACE_MS: '600000' },
  fixtures: { applicants: 80, faults: { captcha: false, medicalInsurance: { latencyMs: 3000 } } },
});

/** A command in its own process group, as a terminal starts it, keeping what it wrote to stderr. */
function startInGroup(command: string, args: string[]): ChildProcess & { err(): string } {
  const child = spawn(command, args, { cwd: REPO, env: { ...process.env, ...ferry().env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return Object.assign(child, { err: () => stderr });
}

let used = 0;
/** Cases no earlier test in this file has entered. */
function freshCases(count: number) {
  used += count;
  return enterableCases(ferry().fixtures.applicants).slice(used - count, used);
}

async function statesOf(caseNos: string[]): Promise<(LedgerState | undefined)[]> {
  return Promise.all(caseNos.map(async (caseNo) => (await ferry().runtime.ledger.get(RECIPE, caseNo))?.state));
}

/** Starts a worker, waits until two runs are in flight, stops it with `stop`, and checks what is left. */
async function expectCleanStop(start: () => ChildProcess & { err(): string }, stop: (child: ChildProcess) => void): Promise<void> {
  const cases = freshCases(2);
  const caseNos = cases.map((applicant) => applicant.caseNo);
  const child = start();
  const exited = once(child, 'exit');
  try {
    const jobIds = await Promise.all(caseNos.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
    await waitFor('both runs in flight', async () => (await statesOf(caseNos)).every((state) => IN_FLIGHT.includes(state!)), 180_000);
    const processes = descendantsOf(child.pid!);
    expect(processes.map(commandOf).some((command) => command.includes('chromium'))).toBe(true);

    stop(child);
    const [code] = await exited;
    expect({ code, stderr: child.err() }).toMatchObject({ code: 0 });
    expect(await leftRunning(processes)).toEqual([]);
    expect(await statesOf(caseNos)).toEqual(['DONE', 'DONE']);
    await expectEnteredOnce(ferry(), cases, await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId))));
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}

describe('when a worker is stopped with runs in flight', () => {
  it('on SIGTERM it finishes them: each DONE with one row, exit 0, no process left', async () => {
    await expectCleanStop(() => startInGroup(process.execPath, [FERRY_BIN, 'worker']), (child) => child.kill('SIGTERM'));
  }, 400_000);

  it('on Ctrl-C (SIGINT to its process group) it finishes them the same way', async () => {
    await expectCleanStop(() => startInGroup(process.execPath, [FERRY_BIN, 'worker']), (child) => process.kill(-child.pid!, 'SIGINT'));
  }, 400_000);

  it('a second SIGTERM stops it at once (exit 1, no process left), and the next worker enters each record once', async () => {
    const cases = freshCases(2);
    const caseNos = cases.map((applicant) => applicant.caseNo);
    const first = startInGroup(process.execPath, [FERRY_BIN, 'worker']);
    const exited = once(first, 'exit');
    const jobIds = await Promise.all(caseNos.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
    await waitFor('both runs in flight', async () => (await statesOf(caseNos)).every((state) => IN_FLIGHT.includes(state!)), 180_000);
    const processes = descendantsOf(first.pid!);
    first.kill('SIGTERM');
    await waitFor('the stop to begin', () => first.err().includes('stopping'));
    // A signal right after the first counts as the same one (see cli/shutdown.ts): repeat until one stops it at once.
    await waitFor('a stop at once', () => first.exitCode !== null || Boolean(first.kill('SIGTERM') && first.err().includes('stopping at once')));
    const [code] = await exited;
    expect({ code, stderr: first.err() }).toMatchObject({ code: 1 });
    expect(await leftRunning(processes)).toEqual([]);

    const second = spawnWorker(ferry().env);
    try {
      await expectEnteredOnce(ferry(), cases, await Promise.all(jobIds.map((jobId) => ferry().outcome(jobId))));
    } finally {
      expect(await stopWorker(second)).toBe(0);
    }
  }, 500_000);

  it('a stop that hangs (its main thread never yields again) is ended by SIGKILL 15 s after the grace period, its Chromium with it', async () => {
    const graceMs = 2000;
    const child = spawnWorker({ ...ferry().env, FERRY_STOP_GRACE_MS: String(graceMs), FERRY_FAULT_POINT: 'starve-on-stop' });
    const exited = once(child, 'exit');
    try {
      await waitFor('the worker to start', () => child.err().includes(' started; '), 180_000);
      const processes = descendantsOf(child.pid!);
      expect(processes.map(commandOf).some((command) => command.includes('chromium'))).toBe(true);
      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal, stderr: child.err().slice(-500) }).toMatchObject({ code: null, signal: 'SIGKILL' });
      // Not before the grace period and the forced exit's 10 s had their chance.
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(graceMs + 15_000);
      expect(await leftRunning(processes)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 300_000);

  it('started as `npm run -s ferry -- worker`, a SIGTERM to npm reaches it and it finishes them', async () => {
    await expectCleanStop(() => startInGroup('npm', ['run', '-s', 'ferry', '--', 'worker']), (child) => child.kill('SIGTERM'));
  }, 400_000);
});
