/**
 * Delivery: one BullMQ job per (message, channel) on a queue of its own, taken by the
 * scheduler's delivery worker and retried with back-off (30 s, doubling, 8 attempts: about
 * two hours) while a channel is down, so a robot that refuses never holds up a run or another
 * channel. A channel removed meanwhile drops its deliveries.
 */
import { Queue, Worker } from 'bullmq';
import { connectRedis } from '../redis/connect.ts';
import type { Runtime } from '../runtime.ts';
import { alertMessage, type AlertMessage } from './alert.ts';
import type { AlertSettings } from './alert-settings.ts';
import { sendToChannel } from './channel-send.ts';

/** Queue name of alert deliveries; the BullMQ prefix carries the namespace hash tag, as for runs. */
export const ALERTS_QUEUE = 'alerts';

/** BullMQ job data of one delivery. */
export interface DeliveryJobData {
  channel: string;
  message: AlertMessage;
}

/** The queue of deliveries, on the runtime's connection. */
export function deliveryQueue(runtime: Runtime): Queue<DeliveryJobData> {
  return new Queue<DeliveryJobData>(ALERTS_QUEUE, { connection: runtime.redis, prefix: runtime.keys.prefix });
}

/** The first retry's delay; each later one doubles it. */
export const RETRY_DELAY_MS = 30_000;

/** Queues `message` for each of `channels`, retried from `retryDelayMs` on, doubling. */
export async function queueDeliveries(queue: Queue<DeliveryJobData>, channels: string[], message: AlertMessage, retryDelayMs = RETRY_DELAY_MS): Promise<void> {
  await queue.addBulk(channels.map((channel) => ({
    name: message.state,
    data: { channel, message },
    opts: { attempts: 8, backoff: { type: 'exponential', delay: retryDelayMs }, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } },
  })));
}

/** Takes deliveries off the queue and sends them, on a connection of its own; resolves once it is ready. */
export async function startDeliveryWorker(runtime: Runtime, settings: AlertSettings): Promise<{ close(): Promise<void> }> {
  const connection = connectRedis(runtime.redisUrl);
  const worker = new Worker<DeliveryJobData>(ALERTS_QUEUE, async (job) => {
    const channel = await settings.channel(job.data.channel);
    if (!channel) return 'channel removed';
    await sendToChannel(channel, job.data.message);
    return 'sent';
  }, { connection, prefix: runtime.keys.prefix, concurrency: 4 });
  worker.on('failed', (job, error) => runtime.log.warn({ channel: job?.data.channel, rule: job?.data.message.rule, attempt: job?.attemptsMade, err: error }, 'alert not delivered'));
  worker.on('error', (error) => runtime.log.warn({ err: error }, 'alert delivery error'));
  const close = async () => {
    await worker.close();
    connection.disconnect();
  };
  // Ready before it counts as started: BullMQ 5 ends the process when a connection still connecting is closed.
  await worker.waitUntilReady().catch(async (error: unknown) => {
    await close().catch(() => {});
    throw error;
  });
  return { close };
}

/** Sends a test message to channel `id` at once (the admin page's "send test"); throws what the channel answered. */
export async function sendTestAlert(settings: AlertSettings, id: string, dashboardUrl?: string): Promise<void> {
  const channel = await settings.channel(id);
  if (!channel) throw new Error(`There is no alert channel "${id}".`);
  await sendToChannel(channel, alertMessage({
    rule: 'needs-review', subject: 'test', path: '/', summary: `Ferry 测试消息：告警渠道 ${id} 可用 (a test message: channel ${id} works)`,
  }, 'firing', Date.now(), dashboardUrl));
}
