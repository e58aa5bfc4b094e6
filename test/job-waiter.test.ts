/**
 * Waiting for many jobs: one event subscription, not a poll per job. Against a real
 * redis-server and real BullMQ workers, on a queue of this file's own.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWaiter, QueueStalledError } from '../runner/run/job-waiter.ts';
import { useRedis } from './support/redis.ts';

const redis = useRedis();
let connection: Redis;

const reader = {
  completed: (_jobId: string, value: unknown) => value as { n: number },
  failed: (jobId: string, reason: string | undefined) => {
    throw new Error(`${jobId} failed: ${reason}`);
  },
};

/** Calls of every Redis command so far, summed from INFO commandstats. */
async function commandsSoFar(): Promise<number> {
  const info = await connection.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, [, calls]) => sum + Number(calls), 0);
}

function freshQueue(): Queue {
  return new Queue(`waiter-${randomBytes(3).toString('hex')}`, { connection: { url: redis().url }, prefix: '{test}' });
}

beforeAll(() => {
  connection = new Redis(redis().url);
});
afterAll(() => {
  connection.disconnect();
});

describe('a wait on 300 queued jobs', () => {
  it('costs one look at each job and then only its event subscription, and hears every result in order', async () => {
    const queue = freshQueue();
    const jobs = await queue.addBulk(Array.from({ length: 300 }, (_, n) => ({ name: 'job', data: { n }, opts: { jobId: `job-${n}` } })));
    const lookCost = await commandsSoFar().then(async (at) => (await queue.getJobState('job-0'), (await commandsSoFar()) - at - 1));
    const waiter = new JobWaiter(queue, reader);
    const settled: string[] = [];
    const before = await commandsSoFar();
    const all = waiter.waitAll(jobs.map((job) => job.id!), { onSettled: (jobId) => settled.push(jobId) });
    // No worker yet: the wait has nothing to hear for six seconds. A poll of each job every
    // half second would look at each job 12 times; a wait on events looks once.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const spent = (await commandsSoFar()) - before - 1;
    expect(spent).toBeGreaterThanOrEqual(300 * lookCost);
    expect(spent).toBeLessThan(300 * lookCost + 100);
    const worker = new Worker(queue.name, async (job) => ({ n: job.data.n * 2 }), { connection: { url: redis().url }, prefix: '{test}', concurrency: 10 });
    const results = await all;
    expect(results.map((result) => result.n)).toEqual(jobs.map((job) => job.data.n * 2));
    expect(new Set(settled).size).toBe(300);
    await worker.close();
    await waiter.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});

describe('a wait whose jobs finished before it began', () => {
  it('answers at once from the queue', async () => {
    const queue = freshQueue();
    const worker = new Worker(queue.name, async (job) => ({ n: job.data.n }), { connection: { url: redis().url }, prefix: '{test}' });
    const events = new QueueEvents(queue.name, { connection: { url: redis().url }, prefix: '{test}' });
    await events.waitUntilReady();
    const job = await queue.add('job', { n: 7 }, { jobId: 'early' });
    await job.waitUntilFinished(events);
    await events.close();
    const waiter = new JobWaiter(queue, reader);
    expect(await waiter.wait('early')).toEqual({ n: 7 });
    await expect(waiter.wait('never-added')).rejects.toThrow('never-added failed: undefined');
    await worker.close();
    await waiter.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});

describe('the deadline of a wait', () => {
  it('counts from the last movement of the queue, so a slow batch that keeps moving is never declared stuck', async () => {
    const queue = freshQueue();
    const ids = (await queue.addBulk(Array.from({ length: 12 }, (_, n) => ({ name: 'job', data: { n } })))).map((job) => job.id!);
    const worker = new Worker(queue.name, async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { n: job.data.n };
    }, { connection: { url: redis().url }, prefix: '{test}', concurrency: 1 });
    const waiter = new JobWaiter(queue, reader);
    const started = Date.now();
    const results = await waiter.waitAll(ids, { idleMs: 3_000 });
    // The batch took longer than the idle period, and still nobody gave up on it.
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(results.map((result) => result.n)).toEqual([...Array(12).keys()]);
    await worker.close();
    await waiter.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('gives up, saying so, when no job moves for the idle period', async () => {
    const queue = freshQueue();
    const job = await queue.add('job', { n: 1 });
    const waiter = new JobWaiter(queue, reader);
    const error = await waiter.wait(job.id!, { idleMs: 2_000 }).catch((caught) => caught);
    expect(error).toBeInstanceOf(QueueStalledError);
    expect(error.message).toMatch(/1 of 1 runs waited 2 s while no run moved: is a worker running\?/);
    await waiter.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('ends a wait in progress with an error when closed, as a command that stops closes it', async () => {
    const queue = freshQueue();
    const job = await queue.add('job', { n: 1 });
    const waiter = new JobWaiter(queue, reader);
    const waiting = waiter.wait(job.id!).catch((caught: Error) => caught);
    await waiter.close();
    expect(await waiting).toMatchObject({ message: 'stopped waiting: the job waiter was closed' });
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
