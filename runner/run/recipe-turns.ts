/**
 * A recipe's `concurrency`, held across every worker: its runs take turns. A run starts only
 * while fewer than `concurrency` runs of the recipe hold a turn and it is first in the recipe's
 * line (by priority, then by when it was queued), so `concurrency: 1` enters records one at a
 * time and in the order they were queued, however the workers happen to pick them up. A run keeps its turn through its retries and gives it up
 * when it settles. A run that must wait goes back to the queue as a delayed job, holding no
 * worker slot; whoever frees a turn promotes the next in line.
 */
import { DelayedError, Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RedisKeys } from '../redis/keys.ts';
import { LIVE_JOB_STATES, RUN_PRIORITY, type RunJobData } from './types.ts';
import type { RunJobSpec } from './trigger.ts';

/** KEYS: line, holders. ARGV: job id, place in line, concurrency. 1 when the job holds a turn. */
const TAKE = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 1 end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
if redis.call('SCARD', KEYS[2]) < tonumber(ARGV[3]) and redis.call('ZRANGE', KEYS[1], 0, 0)[1] == ARGV[1] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[1])
  return 1
end
return 0
`;

/** 2^51: room for a queued-at stamp in microseconds (until about 2041) below the priority class, within a double's exact integers. */
const CLASS_SPAN = 2 ** 51;

/**
 * A run's score in its recipe's line: its priority class (a person's run, a batch's, a sync's: the
 * three priorities a trigger gives), then when it was queued.
 */
function placeInLine(priority: number, queuedAt: number): number {
  const priorityClass = priority === 0 ? 0 : priority <= RUN_PRIORITY.batch ? 1 : 2;
  return priorityClass * CLASS_SPAN + queuedAt;
}

/**
 * Puts runs of recipes with `concurrency` in their recipe's line as they are queued, before their
 * jobs exist: the line then holds every queued run, not only those a worker has picked up, so a
 * run picked up early cannot take a turn ahead of one queued before it.
 */
export async function joinLines(queue: Queue<RunJobData>, specs: RunJobSpec[]): Promise<void> {
  const lined = specs.filter((spec) => spec.data.queuedAt !== undefined);
  if (lined.length === 0) return;
  const keys = new RedisKeys(String(queue.opts.prefix).replace(/^\{|\}$/g, ''));
  // Ferry hands BullMQ ioredis connections only; BullMQ types its client more narrowly.
  const multi = ((await queue.client) as unknown as Redis).multi();
  for (const { data, opts } of lined) multi.zadd(keys.recipeTurnLine(data.recipe), 'NX', placeInLine(opts.priority ?? 0, data.queuedAt!), opts.jobId!);
  await multi.exec();
}

/** How long a waiting run stays delayed unless a freed turn promotes it sooner. */
export const TURN_RECHECK_MS = 30_000;
/** Job states of a run that still holds (or waits for) its turn; any other state means it is gone. */

/** Turns of runs of recipes that set `concurrency`. */
export class RecipeTurns {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly queue: Queue<RunJobData>) {}

  /**
   * Returns when `job` holds a turn of its recipe; otherwise moves it back to the queue as a
   * delayed job and throws BullMQ's DelayedError, which the processor must let through.
   */
  async await(job: Job<RunJobData>, concurrency: number, token: string | undefined): Promise<void> {
    if (await this.take(job, concurrency)) return;
    // A turn held, or a line headed, by a run that has settled or vanished (a crash between its settlement and its release) is freed.
    if (await this.dropGone(job.data.recipe) && await this.take(job, concurrency)) return;
    await job.moveToDelayed(Date.now() + TURN_RECHECK_MS, token);
    throw new DelayedError();
  }

  /** Gives up `job`'s turn (or its place in line) and wakes whoever may start now. */
  async release(job: Job<RunJobData>, concurrency: number): Promise<void> {
    const recipe = job.data.recipe;
    await this.redis.multi().srem(this.keys.recipeTurnHolders(recipe), String(job.id)).zrem(this.keys.recipeTurnLine(recipe), String(job.id)).exec();
    await this.wake(recipe, concurrency);
  }

  private async take(job: Job<RunJobData>, concurrency: number): Promise<boolean> {
    const recipe = job.data.recipe;
    const keys = [this.keys.recipeTurnLine(recipe), this.keys.recipeTurnHolders(recipe)];
    const place = placeInLine(job.priority ?? 0, job.data.queuedAt ?? job.timestamp * 1000);
    const taken = (await this.redis.eval(TAKE, 2, ...keys, String(job.id), place, concurrency)) === 1;
    if (taken) await this.wake(recipe, concurrency);
    return taken;
  }

  /** Promotes the delayed runs at the head of the line that a free turn lets start. */
  private async wake(recipe: string, concurrency: number): Promise<void> {
    const free = concurrency - (await this.redis.scard(this.keys.recipeTurnHolders(recipe)));
    if (free <= 0) return;
    for (const id of await this.redis.zrange(this.keys.recipeTurnLine(recipe), 0, free - 1)) {
      const next = await Job.fromId<RunJobData>(this.queue, id);
      // Another worker may promote or take it first: that is the same outcome.
      if (next && (await next.isDelayed())) await next.promote().catch(() => {});
    }
  }

  /** Removes holders and the line's head whose jobs settled or vanished; true when any was removed. */
  private async dropGone(recipe: string): Promise<boolean> {
    const holders = this.keys.recipeTurnHolders(recipe);
    const line = this.keys.recipeTurnLine(recipe);
    let dropped = false;
    for (const id of [...(await this.redis.smembers(holders)), ...(await this.redis.zrange(line, 0, 0))]) {
      if (LIVE_JOB_STATES.includes(await this.queue.getJobState(id))) continue;
      await this.redis.multi().srem(holders, id).zrem(line, id).exec();
      dropped = true;
    }
    return dropped;
  }
}
