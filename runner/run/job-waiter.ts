/**
 * Waiting for BullMQ jobs without polling them: one `QueueEvents` subscription per waiter
 * (a single blocking Redis connection), however many jobs are awaited. Each job is looked
 * at once when the wait starts (it may have finished already); after that only events
 * arrive. A wait gives up only when the whole queue has stopped moving (no job started,
 * progressed, retried or finished) for `idleMs`, never because a busy queue is slow.
 */
import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** How a finished job becomes the waiter's result. */
export interface JobResultReader<R> {
  /** A completed job's result, from its return value. */
  completed(jobId: string, returnvalue: unknown): R | Promise<R>;
  /** A failed (final) job's result, or a throw; also for a job no longer in the queue (`failedReason` undefined). */
  failed(jobId: string, failedReason: string | undefined): R | Promise<R>;
}

/** Options of {@link JobWaiter.waitAll}. */
export interface JobWaitOptions<R> {
  /** Give up when the queue has shown no activity for this long. @defaultValue 300000 */
  idleMs?: number;
  /** Hears each job's result as it arrives. */
  onSettled?: (jobId: string, result: R) => void;
}

/** A wait gave up because the queue made no progress for the idle period. */
export class QueueStalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueStalledError';
  }
}

const closedError = () => new Error('stopped waiting: the job waiter was closed');

/** Events that show the queue is moving. */
const ACTIVITY = ['active', 'progress', 'waiting', 'delayed', 'completed', 'failed', 'stalled'] as const;
/** Without a result for this long, a wait looks at its remaining jobs once more (an event may have been trimmed away). */
const QUIET_MS = 15_000;
/** Jobs looked up at once when a wait starts or re-checks. */
const LOOKUP_BATCH = 200;

type Listener = (state: 'completed' | 'failed', value: unknown) => void;

/** Waits for jobs of one queue; close it when done. */
export class JobWaiter<R> {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** How each wait in progress is made to fail, for {@link JobWaiter.close}. */
  private readonly waits = new Set<(error: unknown) => void>();
  private closed = false;
  private readonly ready: Promise<QueueEvents>;
  private lastActivityAt = Date.now();

  constructor(private readonly queue: Queue, private readonly reader: JobResultReader<R>) {
    this.ready = this.subscribe();
    this.ready.catch(() => {}); // a failed subscription surfaces in the wait that needs it, not as an unhandled rejection
  }

  /** Resolves with the job's result once it has finished. */
  async wait(jobId: string, options: JobWaitOptions<R> = {}): Promise<R> {
    const [result] = await this.waitAll([jobId], options);
    return result;
  }

  /** Resolves with every job's result, in the order of `jobIds`, once all have finished. */
  async waitAll(jobIds: string[], options: JobWaitOptions<R> = {}): Promise<R[]> {
    await this.ready;
    if (this.closed) throw closedError();
    const idleMs = options.idleMs ?? 300_000;
    const results = new Map<string, R>();
    const pending = new Set(jobIds);
    let lastResultAt = Date.now();
    let settleAll!: () => void;
    let fail!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => ((settleAll = resolve), (fail = reject)));
    // A failure while the first look-up runs is thrown by `await done` below, or dropped when the look-up settled every job.
    done.catch(() => {});
    this.waits.add(fail);
    const settle = (jobId: string, result: R) => {
      if (!pending.delete(jobId)) return;
      results.set(jobId, result);
      lastResultAt = Date.now();
      options.onSettled?.(jobId, result);
      if (pending.size === 0) settleAll();
    };
    const resolveJob = (jobId: string, state: 'completed' | 'failed', value: unknown) => {
      if (!pending.has(jobId)) return;
      Promise.resolve(state === 'completed' ? this.reader.completed(jobId, value) : this.reader.failed(jobId, value as string | undefined))
        .then((result) => settle(jobId, result), fail);
    };
    const own = new Map(jobIds.map((jobId) => [jobId, ((state, value) => resolveJob(jobId, state, value)) as Listener]));
    for (const [jobId, onFinish] of own) this.listen(jobId, onFinish);
    const lookUp = async () => {
      const ids = [...pending];
      for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
        await Promise.all(ids.slice(i, i + LOOKUP_BATCH).map(async (jobId) => {
          const state = await this.queue.getJobState(jobId);
          if (state === 'completed') resolveJob(jobId, 'completed', (await this.queue.getJob(jobId))?.returnvalue);
          else if (state === 'failed' || state === 'unknown') resolveJob(jobId, 'failed', (await this.queue.getJob(jobId))?.failedReason);
        }));
      }
    };
    const watchdog = setInterval(() => {
      if (Date.now() - this.lastActivityAt > idleMs) {
        fail(new QueueStalledError(`${pending.size} of ${jobIds.length} runs waited ${Math.round(idleMs / 1000)} s while no run moved: is a worker running?`));
      } else if (Date.now() - lastResultAt > QUIET_MS) {
        lastResultAt = Date.now();
        lookUp().catch(fail);
      }
    }, 1_000);
    try {
      if (pending.size > 0) {
        this.lastActivityAt = Date.now();
        await lookUp();
        if (pending.size > 0) await done;
      }
      return jobIds.map((jobId) => results.get(jobId)!);
    } finally {
      clearInterval(watchdog);
      this.waits.delete(fail);
      for (const [jobId, onFinish] of own) this.unlisten(jobId, onFinish);
    }
  }

  /** Stops listening; waits in progress end with an error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const fail of this.waits) fail(closedError());
    const events = await this.ready.catch(() => undefined);
    await events?.close();
  }

  /** Subscribes from the stream's current end, so no event after the first look-up is missed. */
  private async subscribe(): Promise<QueueEvents> {
    const client = (await this.queue.client) as unknown as Redis;
    const [last] = await client.xrevrange(this.queue.keys.events, '+', '-', 'COUNT', 1);
    const events = new QueueEvents(this.queue.name, {
      connection: this.queue.opts.connection, prefix: this.queue.opts.prefix, lastEventId: last?.[0] ?? '0-0',
    });
    // QueueEvents reconnects by itself; a wait that cannot hear gives up through its idle watchdog.
    events.on('error', () => {});
    for (const name of ACTIVITY) events.on(name, () => (this.lastActivityAt = Date.now()));
    events.on('completed', ({ jobId, returnvalue }) => this.emit(jobId, 'completed', returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.emit(jobId, 'failed', failedReason));
    await events.waitUntilReady();
    return events;
  }

  private emit(jobId: string, state: 'completed' | 'failed', value: unknown): void {
    for (const listener of this.listeners.get(jobId) ?? []) listener(state, value);
  }

  private listen(jobId: string, listener: Listener): void {
    const set = this.listeners.get(jobId) ?? new Set();
    set.add(listener);
    this.listeners.set(jobId, set);
  }

  private unlisten(jobId: string, listener: Listener): void {
    const set = this.listeners.get(jobId);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(jobId);
  }
}
