/**
 * Each worker's heartbeat in Redis: every few seconds a worker publishes what it holds
 * (its memory, Chromium's open contexts and pages, its session lanes), so `ferry status`
 * and the soak benchmark can see leaks without asking the worker. A worker that stops
 * beating drops out of the list after three missed beats.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';

/** What one worker reported in its last beat. */
export interface WorkerBeat {
  id: string;
  pid: number;
  /** When the beat was sent (epoch ms). */
  at: number;
  /** The worker process's resident memory, in MiB. */
  rssMb: number;
  /** The JavaScript heap in use on the worker's main thread, in MiB (RSS also holds OCR threads, WASM and native memory). */
  heapMb: number;
  /** Browser contexts open in the worker's Chromium (session lanes and any leaked ones). */
  contexts: number;
  /** Pages open across those contexts. */
  pages: number;
  /** Session lanes the worker's pool holds. */
  lanes: number;
}

/** How often a worker beats. */
export const BEAT_MS = 5_000;

/** Publishes `sample()` now and every {@link BEAT_MS}; `stop()` ends the beats and removes the worker. */
export function startBeating(
  redis: Redis, keys: RedisKeys, id: string, sample: () => Pick<WorkerBeat, 'contexts' | 'pages' | 'lanes'>,
): { stop(): Promise<void> } {
  const beat = async () => {
    const toMb = (bytes: number) => Math.round(bytes / 1_048_576);
    const value: WorkerBeat = {
      id, pid: process.pid, at: Date.now(), rssMb: toMb(process.memoryUsage.rss()), heapMb: toMb(process.memoryUsage().heapUsed), ...sample(),
    };
    await redis.hset(keys.workerBeats(), id, JSON.stringify(value)).catch(() => {});
  };
  void beat();
  const timer = setInterval(() => void beat(), BEAT_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.hdel(keys.workerBeats(), id).catch(() => {});
    },
  };
}

/** The live workers' last beats; beats older than three intervals are dropped (and removed). */
export async function readBeats(redis: Redis, keys: RedisKeys, now = Date.now()): Promise<WorkerBeat[]> {
  const beats = Object.values(await redis.hgetall(keys.workerBeats())).map((raw) => JSON.parse(raw) as WorkerBeat);
  const stale = beats.filter((beat) => now - beat.at > 3 * BEAT_MS);
  if (stale.length > 0) await redis.hdel(keys.workerBeats(), ...stale.map((beat) => beat.id));
  return beats.filter((beat) => !stale.includes(beat));
}
