/**
 * The part every chaos proof shares: the runs of some recipes go through W `ferry worker`
 * processes while the harness kills workers (at random, and inside the window between the
 * target's save and the ledger's DONE), breaks Redis once (kills it and restarts it from its
 * AOF, or kills the primary so Sentinel fails over), and logs every session out now and then.
 * On a network of hosts it also cuts hosts' links for a while. It ends when every run has
 * finished, and hands back each input's ledger entry; the caller compares them with the target.
 */
import type { Recipe } from '../../runner/define/recipe.ts';
import type { LedgerEntry } from '../../runner/ledger/ledger.ts';
import type { Runtime } from '../../runner/runtime.ts';
import { triggerRun } from '../../runner/run/trigger.ts';
import { WorkerFleet, type FleetCounts, type FleetHosts } from './worker-fleet.ts';

/** How long past its stop grace period a worker may take to exit before the harness SIGKILLs it. */
const STOP_SLACK_MS = 30_000;

/** One recipe under chaos and the inputs it runs. */
export interface ChaosPlan {
  recipe: Recipe;
  inputs: unknown[];
}

/** What {@link runUnderFaults} needs. */
export interface FaultRunSetup {
  /** On the private Redis the harness breaks. */
  runtime: Runtime;
  /** Breaks Redis once, half way (and waits until it serves again); `what` names it in the progress line. */
  redisFault: { what: string; cause(): Promise<unknown> };
  /** Runs the workers on hosts of their own; a third of the kills are then link cuts. */
  hosts?: FleetHosts;
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
  /** Times Redis was broken (restarted, or failed over). */
  redisFaults: number;
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
  const fleet = new WorkerFleet({ ...setup.workerEnv, ...forgetting }, setup.dataDir, setup.hosts);
  const expiry = setup.expireSessions && setInterval(setup.expireSessions, setup.sessionExpirySeconds * 1000);
  try {
    fleet.start(setup.workers);
    const writing = async (): Promise<Writer | undefined> => {
      for (const [i, plan] of setup.plans.entries()) {
        for (const keyId of keyIds[i]) {
          const entry = await runtime.ledger.get(plan.recipe.id, keyId);
          // A record taken over from a lapsed lease is SUBMITTING with its new owner, who waits for a write in flight and writes nothing yet.
          const waiting = Number(entry?.quietUntil ?? 0) > Date.now();
          if (entry?.state === 'SUBMITTING' && entry.owner && !waiting) {
            const owner = entry.owner;
            // An owner `<worker>/<job>/<execution>`. Its run is still on when its job is active: a run
            // whose failure Redis refused (a fail-over) has ended, but leaves SUBMITTING with its owner.
            const [workerId, jobId] = owner.split('/');
            const stillWriting = async () => {
              const now = await runtime.ledger.get(plan.recipe.id, keyId);
              return now?.state === 'SUBMITTING' && now.owner === owner && (await runtime.queue.getJobState(jobId)) === 'active';
            };
            if (await stillWriting()) return { workerId, stillWriting };
          }
        }
      }
      return undefined;
    };
    const redisFaults = await drain(runtime, fleet, { ...setup, records, writing, cutMs: 2.5 * runtime.config.lockMs });
    const stuckActive = await runtime.queue.getActiveCount();
    const entries = await Promise.all(setup.plans.map((plan, i) => Promise.all(keyIds[i].map((keyId) => runtime.ledger.get(plan.recipe.id, keyId)))));
    await fleet.stop(runtime.config.stopGraceMs + STOP_SLACK_MS);
    return { entries, keyIds, stuckActive, redisFaults, fleet: { ...fleet.counts } };
  } finally {
    clearInterval(expiry);
    await fleet.stop(runtime.config.stopGraceMs + STOP_SLACK_MS);
  }
}

/** A worker whose run, still on, holds a record in SUBMITTING. */
interface Writer {
  workerId: string;
  /** True while the same execution still holds that record in SUBMITTING and its job is active. */
  stillWriting(): Promise<boolean>;
}

interface DrainPlan extends Pick<FaultRunSetup, 'kills' | 'timeoutMs' | 'onProgress' | 'signal' | 'waitingForPeople' | 'redisFault' | 'hosts'> {
  records: number;
  /** How long a cut host stays off the network: past its lease, so its runs are taken over. */
  cutMs: number;
  /** A worker writing right now (its active run holds a record in SUBMITTING), if any. */
  writing(): Promise<Writer | undefined>;
}

/**
 * The queue's counts, for the harness watching the fail-over. A command sent while the
 * connection re-opens after a `+switch-master` can fail with "Connection is closed." (the
 * connection opens itself again: runner/redis/connect.ts); the harness asks again rather than
 * abandon the proof it is watching.
 */
async function jobCounts(runtime: Runtime): Promise<Record<string, number>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runtime.queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/**
 * Waits until every run has finished, causing the kills and the Redis fault on the way:
 * kills spread over the first 60 % of the runs, in turn a random `kill -9` (of a whole host, on
 * hosts), arming a worker that is writing right now (so it dies between save and ledger), and,
 * on hosts, cutting the link of a host that is writing right now; Redis at half way.
 */
async function drain(runtime: Runtime, fleet: WorkerFleet, plan: DrainPlan): Promise<number> {
  const killAt = Array.from({ length: plan.kills }, (_, i) => Math.floor(((i + 1) / (plan.kills + 1)) * 0.6 * plan.records));
  const kinds = plan.hosts ? ['kill', 'window', 'cut'] : ['kill', 'window'];
  let kills = 0;
  let redisFaults = 0;
  let lastNote = 0;
  const deadline = Date.now() + plan.timeoutMs;
  while (Date.now() < deadline && !plan.signal?.aborted) {
    const counts = await jobCounts(runtime);
    const finished = counts.completed + counts.failed;
    if (finished >= plan.records && !(await plan.waitingForPeople?.())) return redisFaults;
    if (kills < plan.kills && finished >= killAt[kills] && !fleet.armedAlive) {
      const kind = kinds[kills % kinds.length];
      if (kind === 'kill') {
        fleet.killRandom();
        kills++;
      } else if (kind === 'cut') {
        // A cut counts when it caught the host mid-write: then its run must be fenced.
        const writer = await plan.writing();
        if (writer && fleet.cutHostOf(writer.workerId, plan.cutMs)) {
          if (await writer.stillWriting()) kills++;
          else fleet.reconnectHostOf(writer.workerId);
        }
      } else {
        const writer = await plan.writing();
        if (writer && fleet.arm(writer.workerId)) kills++;
      }
    }
    if (redisFaults === 0 && finished >= plan.records / 2) {
      plan.onProgress(`chaos: ${plan.redisFault.what} at ${finished} runs finished`);
      await plan.redisFault.cause();
      redisFaults++;
    }
    if (Date.now() - lastNote > 10_000) {
      lastNote = Date.now();
      plan.onProgress(`chaos: ${finished}/${plan.records} finished, ${counts.active} active, ${counts.waiting + counts.delayed} waiting; ` +
        `kills ${fleet.counts.randomKills} random + ${fleet.counts.inWindowKills} in the window, ${fleet.counts.cuts} cuts, ${fleet.live} workers up`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  plan.onProgress(plan.signal?.aborted ? 'chaos: stopped; counting what finished' : 'chaos: gave up waiting for the queue to drain');
  return redisFaults;
}
