/**
 * The hourly canary pass as a BullMQ job on a queue of its own: the scheduler adds one per
 * hour (its id from the hour, so any number of schedulers add it once), and one worker runs
 * every bot's canaries for it. Each sync also runs its recipe's bots' canaries first.
 */
import type { Job, Queue } from 'bullmq';

/** Queue name of canary passes; the BullMQ prefix carries the namespace, as for runs. */
export const CANARY_QUEUE = 'canaries';

/** A canary pass: the hour it stands for (ISO). */
export interface CanaryJobData {
  slot: string;
}

/** The cron expression of the hourly pass. */
export const CANARY_CRON = '0 * * * *';

/** Adds the pass for `slot`'s hour, or finds the one already added. */
export function enqueueCanaries(queue: Queue<CanaryJobData>, slot: Date): Promise<Job<CanaryJobData>> {
  const hour = slot.toISOString().slice(0, 13).replaceAll('-', '');
  return queue.add('canary', { slot: slot.toISOString() }, {
    jobId: `canary__${hour}`,
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  });
}
