/**
 * One round of alerting, run by the scheduler every half minute: the rules look, the book
 * says what changed, and each change is queued for the rule's channels. Any number of
 * schedulers may run rounds; a short Redis lock lets one of them keep the book at a time.
 */
import type { Queue } from 'bullmq';
import type { Runtime } from '../runtime.ts';
import { alertMessage, ALERT_RULES, type AlertRule } from './alert.ts';
import { AlertBook } from './alert-book.ts';
import { queueDeliveries, type DeliveryJobData } from './alert-delivery.ts';
import { lookForAlerts } from './alert-rules.ts';
import type { AlertSettings } from './alert-settings.ts';

/** How often the scheduler runs a round. */
export const ALERT_ROUND_MS = 30_000;
/** How long one scheduler keeps the book before another may. */
const ROUND_LOCK_MS = 25_000;

/** What a round needs. */
export interface AlertRoundDependencies {
  runtime: Runtime;
  settings: AlertSettings;
  deliveries: Queue<DeliveryJobData>;
  /** The first retry's delay of a delivery. @defaultValue 30000 */
  retryDelayMs?: number;
}

/** What a round did: the changes it queued (firing and resolved), or null when another scheduler holds the round. */
export interface AlertRoundResult {
  firing: number;
  resolved: number;
}

/** Runs one round at `now`. */
export async function alertRound(deps: AlertRoundDependencies, now = Date.now()): Promise<AlertRoundResult | null> {
  const { runtime, settings } = deps;
  const lock = runtime.keys.alertRound();
  if ((await runtime.redis.set(lock, String(process.pid), 'PX', ROUND_LOCK_MS, 'NX')) !== 'OK') return null;
  try {
    const rules = await settings.rules();
    const conditions = await lookForAlerts(runtime, rules, now);
    const changes = await new AlertBook(runtime.redis, runtime.keys).reconcile(conditions, {
      now,
      renotifyMs: Object.fromEntries(ALERT_RULES.map((rule) => [rule, rules[rule].renotifyMinutes * 60_000])) as Record<AlertRule, number>,
      watched: ALERT_RULES.filter((rule) => rules[rule].enabled),
    });
    for (const change of changes) {
      const channels = await settings.channelsOf(change.condition.rule);
      if (channels.length) await queueDeliveries(deps.deliveries, channels, alertMessage(change.condition, change.state, change.since, runtime.config.dashboardUrl, now), deps.retryDelayMs);
    }
    return { firing: changes.filter((change) => change.state === 'firing').length, resolved: changes.filter((change) => change.state === 'resolved').length };
  } finally {
    await runtime.redis.del(lock);
  }
}
