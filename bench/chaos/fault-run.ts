/**
 * The part every chaos proof shares: the runs of some recipes go through W `ferry worker`
 * processes while the harness kills workers (at random, and inside the window between the
 * target's save and the ledger's DONE), kills Redis once and restarts it from its AOF, and
 * logs every session out now and then. It ends when every run has finished, and hands back
 * each input's ledger entry; the caller compares them with the target.
 */
import type { Recipe } from '../../runner/define/recipe.ts';
import type { LedgerEntry } from '../../runner/ledger/ledger.ts';
import type { RedisServer } from '../../runner/redis/redis-server.ts';
import type { Runtime } from '../../runner/runtime.ts';
import { triggerRun } from '../../runner/run/trigger.ts';
import { WorkerFleet, type FleetCounts } from './worker-fleet.ts';

/** One recipe under chaos and the inputs it runs. */
export interface ChaosPlan {
  recipe: Recipe;
  inputs: unknown[];
}

/** What {@link runUnderFaults} needs. */
export interface FaultRunSetup {
  /** On the private Redis the harness kills. */
  runtime: Runtime;
  redis: RedisServer;
  /** Where the workers' stderr goes. */
  dataDir: string;
  /** The whole environment of a worker. */
  workerEnv: Record<string, string>;
  plans: ChaosPlan[];
  workers: number;
  kills: number;
  timeoutMs: number;
  /** Logs every session out, every `sessionExpirySeconds`; without it the workers forget their own sessions. */
  expireSessions?: () => void;
  sessionExpirySeconds: number;
  onProgress: (line: string) => void;
  signal?: AbortSignal;
  /** True while some run waits for a person's answer (its job looks finished, but the answer runs it again). */
  waitingForPeople?: () => Promise<boolean>;
}

/** What happened, for the caller's tally. */
export interface FaultRunOutcome {
  /** Per plan, each input's ledger entry, in input order. */
  entries: (LedgerEntry | null)[][];
  /** Per plan, each input's key id, in input order. */
  keyIds: string[][];
  /** Jobs still active once the queue drained (or the wait ended). */
  stuckActive: number;
  redisRestarts: number;
  fleet: FleetCounts;
}

/** Enqueues every plan's inputs, runs them through the fleet under faults, and stops the fleet. */
export async function runUnderFaults(setup: FaultRunSetup): Promise<FaultRunOutcome> {
  const { runtime } = setup;
  const keyIds: string[][] = [];
  for (const plan of setup.plans) {
    const ids = [];
    for (const input of plan.inputs) {
      const job = await triggerRun(runtime.queue, plan.recipe, input, {
        trigger: { via: 'cli', by: 'cli:chaos' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
      });
      ids.push(job.data.keyId);
    }
    keyIds.push(ids);
  }
  const records = keyIds.flat().length;
  setup.onProgress(`chaos: ${setup.plans.map((plan, i) => `${keyIds[i].length} ${plan.recipe.id}`).join(' + ')} runs enqueued; starting ${setup.workers} workers`);
  const forgetting: Record<string, string> = setup.expireSessions ? {} : { FERRY_FAULT_FORGET_SESSIONS_S: String(setup.sessionExpirySeconds) };
  const fleet = new WorkerFleet({ ...setup.workerEnv, ...forgetting }, setup.dataDir);
  const expiry = setup.expireSessions && setInterval(setup.expireSessions, setup.sessionExpirySeconds * 1000);
  try {
    fleet.start(setup.workers);
    const writing = async () => {
      for (const [i, plan] of setup.plans.entries()) {
        for (const keyId of keyIds[i]) {
          const entry = await runtime.ledger.get(plan.recipe.id, keyId);
          if (entry?.state === 'SUBMITTING' && entry.owner) return entry.owner.split('/')[0];
        }
      }
      return undefined;
    };
    const redisRestarts = await drain(runtime, fleet, setup.redis, { ...setup, records, writing });
    const stuckActive = await runtime.queue.getActiveCount();
    const entries = await Promise.all(setup.plans.map((plan, i) => Promise.all(keyIds[i].map((keyId) => runtime.ledger.get(plan.recipe.id, keyId)))));
    return { entries, keyIds, stuckActive, redisRestarts, fleet: { ...fleet.counts } };
  } finally {
    clearInterval(expiry);
    await fleet.stop();
  }
}

interface DrainPlan extends Pick<FaultRunSetup, 'kills' | 'timeoutMs' | 'onProgress' | 'signal' | 'waitingForPeople'> {
  records: number;
  /** The id of a worker writing right now (it holds a record in SUBMITTING), if any. */
  writing(): Promise<string | undefined>;
}

/**
 * Waits until every run has finished, causing the kills and the Redis restart on the way:
 * kills spread over the first 60 % of the runs, alternately a random `kill -9` and arming a
 * worker that is writing right now (so it dies between save and ledger); Redis at half way.
 */
async function drain(runtime: Runtime, fleet: WorkerFleet, redis: RedisServer, plan: DrainPlan): Promise<number> {
  const killAt = Array.from({ length: plan.kills }, (_, i) => Math.floor(((i + 1) / (plan.kills + 1)) * 0.6 * plan.records));
  let kills = 0;
  let redisRestarts = 0;
  let lastNote = 0;
  const deadline = Date.now() + plan.timeoutMs;
  while (Date.now() < deadline && !plan.signal?.aborted) {
    const counts = await runtime.queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    const finished = counts.completed + counts.failed;
    if (finished >= plan.records && !(await plan.waitingForPeople?.())) return redisRestarts;
    if (kills < plan.kills && finished >= killAt[kills] && !fleet.armedAlive) {
      if (kills % 2 === 0) {
        fleet.killRandom();
        kills++;
      } else {
        const writer = await plan.writing();
        if (writer && fleet.arm(writer)) kills++;
      }
    }
    if (redisRestarts === 0 && finished >= plan.records / 2) {
      plan.onProgress(`chaos: killing Redis (SIGKILL) at ${finished} runs finished, restarting from its AOF`);
      await redis.restart();
      redisRestarts++;
    }
    if (Date.now() - lastNote > 10_000) {
      lastNote = Date.now();
      plan.onProgress(`chaos: ${finished}/${plan.records} finished, ${counts.active} active, ${counts.waiting + counts.delayed} waiting; ` +
        `kills ${fleet.counts.randomKills} random + ${fleet.counts.inWindowKills} in the window, ${fleet.live} workers up`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  plan.onProgress(plan.signal?.aborted ? 'chaos: stopped; counting what finished' : 'chaos: gave up waiting for the queue to drain');
  return redisRestarts;
}
