/**
 * The scheduler against real Redis and BullMQ: each slot becomes one sync job however
 * many schedulers fire it, and a slot missed while no scheduler ran is caught up once.
 * No worker runs here, so the enqueued syncs stay in the queue to be counted.
 */
import { describe, expect, it } from 'vitest';
import { latestSlot } from '../runner/scheduler/slots.ts';
import { startScheduler, type RunningScheduler } from '../runner/scheduler/scheduler.ts';
import { syncJobId } from '../runner/scheduler/sync-jobs.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const DAY_MS = 86_400_000;
const ferry = useFerry({ fixtures: { applicants: 20, faults: { captcha: false } }, workers: 0 });

async function syncIds(): Promise<string[]> {
  const jobs = await ferry().runtime.syncs.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
  return jobs.filter((job) => job.data.recipe === RECIPE).map((job) => job.id!).sort();
}

async function withSchedulers(count: number, use: (schedulers: RunningScheduler[]) => Promise<void>): Promise<void> {
  const schedulers = await Promise.all(Array.from({ length: count }, (_, i) => startScheduler(ferry().runtime)));
  try {
    await use(schedulers);
  } finally {
    for (const scheduler of schedulers) await scheduler.close();
  }
}

describe('the scheduler', () => {
  describe('when it starts for the first time', () => {
    it('enqueues nothing and takes the latest past slot as its starting point', async () => {
      await withSchedulers(1, async () => {
        expect(await syncIds()).toEqual([]);
        const schedule = ferry().runtime.recipes.get(RECIPE).schedule!;
        expect(await ferry().runtime.syncState.lastFired(RECIPE)).toEqual(latestSlot(schedule, new Date()));
      });
    });
  });

  describe('when the last fired slot is three days ago', () => {
    it('enqueues one sync, for the latest slot, however many slots were missed and schedulers start', async () => {
      const { runtime } = ferry();
      const latest = latestSlot(runtime.recipes.get(RECIPE).schedule!, new Date());
      await runtime.redis.hset(runtime.keys.schedule(RECIPE), 'lastFired', new Date(latest.getTime() - 3 * DAY_MS).toISOString());
      await withSchedulers(2, async () => {
        expect(await syncIds()).toEqual([syncJobId(RECIPE, latest)]);
        expect(await runtime.syncState.lastFired(RECIPE)).toEqual(latest);
      });
      await withSchedulers(1, async () => {
        expect(await syncIds()).toEqual([syncJobId(RECIPE, latest)]);
      });
    });
  });

  describe('when two schedulers fire the same slot at once', () => {
    it('enqueues one sync job for that slot', async () => {
      await withSchedulers(2, async ([a, b]) => {
        const before = await syncIds();
        const slot = new Date('2026-01-09T18:00:00Z');
        const [first, second] = await Promise.all([a.fireSlot(RECIPE, slot), b.fireSlot(RECIPE, slot)]);
        expect(first).toBe(second);
        expect(first).not.toContain(':');
        expect(await syncIds()).toEqual([...before, first].sort());
        const job = await ferry().runtime.syncs.getJob(first);
        expect(job?.data.slot).toBe(slot.toISOString());
      });
    });
  });
});
