/**
 * Alerting as the scheduler runs it: a round every half minute and the delivery worker,
 * stopped together.
 */
import type { Runtime } from '../runtime.ts';
import { deliveryQueue, startDeliveryWorker } from './alert-delivery.ts';
import { alertRound, ALERT_ROUND_MS, type AlertRoundResult } from './alert-round.ts';

/** Running alerting. */
export interface Alerting {
  /** Runs a round now (what the timer does); null when another scheduler holds the round. */
  round(now?: number): Promise<AlertRoundResult | null>;
  close(): Promise<void>;
}

/** Options of {@link startAlerting}. */
export interface AlertingOptions {
  /** How often the rules are looked at. @defaultValue 30000 */
  roundMs?: number;
  /** The first retry's delay of a delivery. @defaultValue 30000 */
  retryDelayMs?: number;
}

/** Starts the delivery worker, and rounds every `roundMs`. */
export async function startAlerting(runtime: Runtime, options: AlertingOptions = {}): Promise<Alerting> {
  const deliveries = deliveryQueue(runtime);
  const worker = await startDeliveryWorker(runtime, runtime.alerts);
  const round = (now?: number) => alertRound({ runtime, settings: runtime.alerts, deliveries, retryDelayMs: options.retryDelayMs }, now);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = round().then(
      (done) => done && (done.firing || done.resolved) && runtime.log.info(done, 'alerts sent'),
      (error) => runtime.log.warn({ err: error }, 'alert round failed'),
    );
  }, options.roundMs ?? ALERT_ROUND_MS);
  return {
    round,
    close: async () => {
      clearInterval(timer);
      await running;
      await worker.close();
      await deliveries.close();
    },
  };
}
