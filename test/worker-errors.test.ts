/**
 * A worker against a primary that refuses writes (NOREPLICAS: `min-replicas-to-write 1` and no
 * replica, as a promoted replica is until the old primary rejoins). BullMQ alone fetches again
 * at once after such an error, thousands of times a second; Ferry's worker pauses its fetching
 * instead, logs the error a few times, and takes work again once the primary takes writes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Queue, Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../runner/redis/connect.ts';
import { unixSocketUrl } from '../runner/redis/redis-url.ts';
import { handleWorkerErrors } from '../runner/run/worker-errors.ts';
import { waitFor } from './support/wait.ts';

let dir = '';
let url = '';
let server: ReturnType<typeof spawn> | undefined;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-noreplicas-'));
  const socket = join(dir, 'redis.sock');
  const password = randomBytes(16).toString('hex');
  server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--requirepass', password, '--save', '', '--appendonly', 'no', '--min-replicas-to-write', '1'], { stdio: 'ignore' });
  url = unixSocketUrl(socket, password);
  const probe = connectRedis(url, { lazyConnect: true, retryStrategy: () => 100 });
  probe.on('error', () => {}); // ENOENT until the server has made its socket
  await waitFor('redis-server to answer', async () => (await probe.ping().catch(() => '')) === 'PONG');
  probe.disconnect();
});
afterAll(async () => {
  server?.kill('SIGKILL');
  if (server) await once(server, 'exit');
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker whose Redis refuses writes for want of replicas', () => {
  it('pauses its fetching instead of spinning, logs the error a few times, and takes work again once writes are taken', async () => {
    const lines: { msg: string; err?: { message: string } }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => void (lines.push(JSON.parse(String(chunk))), done()) }));
    const connection = connectRedis(url);
    const worker = new Worker('errors-test', async (job) => `done ${job.id}`, { connection, autorun: false });
    let errors = 0;
    worker.on('error', () => errors++);
    const stopPauses = handleWorkerErrors(worker, log, 'worker error');
    const queue = new Queue('errors-test', { connection: connectRedis(url) });
    try {
      void worker.run();
      await waitFor('the first NOREPLICAS', async () => errors > 0);
      const firstAt = Date.now();
      // Nothing to wait for but time: the count over a span is what is measured.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const seconds = (Date.now() - firstAt) / 1000;
      // Pauses of 0.5, 1 and 2 s: a handful of failed fetches (and the stalled check), not thousands.
      expect(errors / seconds, `${errors} errors in ${seconds} s`).toBeLessThan(5);
      const logged = lines.filter((line) => line.msg === 'worker error');
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.length).toBeLessThanOrEqual(3);
      expect(logged[0].err?.message).toMatch(/^NOREPLICAS/);

      await connection.config('SET', 'min-replicas-to-write', '0');
      const job = await queue.add('one', {});
      await waitFor('the job to complete once writes are taken', async () => (await job.isCompleted()));
      expect((await queue.getJob(job.id!))?.returnvalue).toBe(`done ${job.id}`);
    } finally {
      stopPauses();
      await worker.close(true);
      await queue.close();
    }
  });
});
