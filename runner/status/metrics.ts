/**
 * Prometheus metrics, every name starting with `ferry_`. Counts are read from Redis at
 * scrape time (daily stats, ledger counts, the queue), so any process can serve them;
 * the run-duration histogram is observed from BullMQ's queue events (on a duplicate of the runtime's connection) while this process runs.
 */
import { Job, QueueEvents } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LEDGER_STATES } from '../ledger/ledger.ts';
import { counterOf, dayOf, OUTCOME_COUNTERS } from '../run/stats.ts';
import type { RunJobData, RunOutcome } from '../run/types.ts';
import type { Runtime } from '../runtime.ts';
import { RUNS_QUEUE } from '../run/trigger.ts';

/** Options of {@link FerryMetrics.start}. */
export interface MetricsOptions {
  /** Reachability of each bot's system (true, false), for `ferry_system_up`. */
  systemsUp?: () => Promise<Record<string, boolean>>;
}

/** Daily stats are kept 400 days, so the all-time counters sum that many. */
const STATS_DAYS = 400;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

function pastDays(count: number): string[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => dayOf(new Date(now - i * 86_400_000)));
}

/** The registry of Ferry's metrics and the queue listener behind the duration histogram. */
export class FerryMetrics {
  readonly registry = new Registry();

  private constructor(private readonly events: QueueEvents) {}

  /** Registers the metrics and starts listening for finished runs. */
  static async start(runtime: Runtime, options: MetricsOptions = {}): Promise<FerryMetrics> {
    const events = new QueueEvents(RUNS_QUEUE, { connection: runtime.redis, prefix: runtime.keys.prefix });
    events.on('error', (error) => runtime.log.warn({ err: error }, 'metrics queue events error'));
    const metrics = new FerryMetrics(events);
    metrics.register(runtime, options);
    await events.waitUntilReady();
    return metrics;
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  async close(): Promise<void> {
    await this.events.close();
  }

  private register(runtime: Runtime, options: MetricsOptions): void {
    const registers = [this.registry];
    const recipes = () => runtime.recipes.all().map((recipe) => recipe.id);
    new Counter({
      name: 'ferry_runs_total', help: 'Finished runs by recipe and outcome (entered, alreadyPresent, rejected, needsReview, failed), over the 400 days stats are kept.',
      labelNames: ['recipe', 'outcome'], registers,
      async collect() {
        this.reset();
        const days = pastDays(STATS_DAYS);
        for (const recipe of recipes()) {
          const pipeline = runtime.redis.pipeline();
          for (const day of days) pipeline.hgetall(runtime.keys.dailyStats(recipe, day));
          const totals = Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, 0]));
          for (const [, raw] of (await pipeline.exec()) ?? []) {
            for (const name of OUTCOME_COUNTERS) totals[name] += Number((raw as Record<string, string>)[name] ?? 0);
          }
          for (const name of OUTCOME_COUNTERS) this.inc({ recipe, outcome: name }, totals[name]);
        }
      },
    });
    new Gauge({
      name: 'ferry_ledger_entries', help: 'Ledger entries by recipe and state.', labelNames: ['recipe', 'state'], registers,
      async collect() {
        for (const recipe of recipes()) {
          const counts = await runtime.ledger.counts(recipe);
          for (const state of LEDGER_STATES) this.set({ recipe, state }, counts[state]);
        }
      },
    });
    new Gauge({
      name: 'ferry_queue_jobs', help: 'Run jobs by queue state; the depth is waiting + delayed + active.', labelNames: ['state'], registers,
      async collect() {
        const counts = await runtime.queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'ferry_workers', help: 'Worker connections alive on the runs queue.', registers,
      async collect() {
        this.set((await runtime.queue.getWorkers()).length);
      },
    });
    if (options.systemsUp) {
      const systemsUp = options.systemsUp;
      new Gauge({
        name: 'ferry_system_up', help: 'Whether each bot\'s system answered an HTTP GET (1) or not (0).', labelNames: ['bot'], registers,
        async collect() {
          for (const [bot, up] of Object.entries(await systemsUp())) this.set({ bot }, up ? 1 : 0);
        },
      });
    }
    this.observeDurations(runtime);
  }

  /** Observes each final attempt's execution time (processedOn → finishedOn) as a run settles. */
  private observeDurations(runtime: Runtime): void {
    const histogram = new Histogram({
      name: 'ferry_run_duration_seconds', help: 'Execution time of a run\'s final attempt, by recipe and outcome, for runs finished while this process ran.',
      labelNames: ['recipe', 'outcome'], buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300], registers: [this.registry],
    });
    const observe = async (jobId: string) => {
      const job = await Job.fromId<RunJobData, RunOutcome>(runtime.queue, jobId);
      if (!job?.processedOn || !job.finishedOn) return;
      const outcome = job.returnvalue ?? { state: (await runtime.ledger.get(job.data.recipe, job.data.keyId))?.state ?? 'FAILED' };
      // An attempt that stopped to ask a person has not settled its run.
      if (outcome.state === 'WAITING_FOR_PERSON') return;
      histogram.observe({ recipe: job.data.recipe, outcome: counterOf(outcome) }, (job.finishedOn - job.processedOn) / 1000);
    };
    const onFinished = ({ jobId }: { jobId: string }) => void observe(jobId).catch((error) => runtime.log.warn({ err: error }, 'run duration not observed'));
    this.events.on('completed', onFinished);
    this.events.on('failed', onFinished);
  }
}
