/**
 * Folder `runner/run/`: one run of one record, from trigger to outcome: the job and its id,
 * the executor and its steps, session lanes, failure and evidence, retry back-off, run history
 * and daily stats, waiting for outcomes, ops actions, and the worker process that runs it all.
 *
 * One run of a recipe for one record: the exactly-once protocol of DESIGN.md.
 * Claim the ledger entry (fenced), read, `find` first whenever the record may already
 * be in the target, mark SUBMITTING, write, record DONE with the receipt, then verify.
 */
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Lane, SessionPool } from '../browser/session-pool.ts';
import type { Recipe } from '../define/recipe.ts';
import { RecordBusyError } from '../errors.ts';
import type { EvidenceStore } from './evidence.ts';
import type { Claim, Ledger } from '../ledger/ledger.ts';
import type { Logger } from '../logger.ts';
import type { Ocr } from '../ocr/types.ts';
import { settleFailure } from './failure.ts';
import { RunLanes } from './lanes.ts';
import type { RunHistory } from './history.ts';
import type { RunStats } from './stats.ts';
import { LanesLoggedOutError, runStep } from './steps.ts';
import type { RunJobData, RunOutcome, RunStep } from './types.ts';

/** What a worker hands the executor. */
export interface RunDependencies {
  ledger: Ledger;
  pool: SessionPool;
  evidence: EvidenceStore;
  stats: RunStats;
  history: RunHistory;
  log: Logger;
  ocr: Ocr;
  workerId: string;
  /** Test-only chaos hook run between `write` and the ledger's DONE. */
  afterWrite?: () => void;
  /** Test-only chaos hook run after SUBMITTING, just before the lease check that precedes `write`. */
  beforeWrite?: () => void;
}

const SESSION_RETRIES = 2;

/** Executes a run job; returns its outcome or throws (BullMQ then retries or fails it). */
export async function executeRun(job: Job<RunJobData>, recipe: Recipe, deps: RunDependencies): Promise<RunOutcome> {
  const log = deps.log.child({ recipe: recipe.id, run: job.id, attempt: job.attemptsMade + 1 });
  // Unique per execution: BullMQ may start a stalled job again on the same worker while the
  // first execution still runs, and the ledger lets an owner reclaim its own live lease.
  const owner = `${deps.workerId}/${job.id}/${randomBytes(4).toString('hex')}`;
  for (let sessionRetry = 0; ; sessionRetry++) {
    const claimed = await deps.ledger.claim(recipe.id, job.data.keyId, owner);
    if (claimed.kind === 'busy') throw new RecordBusyError(`another runner holds ${recipe.id}/${job.data.keyId}`);
    if (claimed.kind === 'settled') throw new UnrecoverableError(`already settled as ${claimed.state}: ${claimed.reason}`);
    if (claimed.kind === 'done') return finish(deps, recipe, { state: 'DONE', receipt: claimed.receipt, created: false });
    try {
      const outcome = await attempt(job, recipe, deps, claimed.claim, log, sessionRetry < SESSION_RETRIES);
      return finish(deps, recipe, outcome);
    } catch (error) {
      if (!(error instanceof LanesLoggedOutError) || sessionRetry >= SESSION_RETRIES) throw error;
    }
  }
}

async function finish(deps: RunDependencies, recipe: Recipe, outcome: RunOutcome): Promise<RunOutcome> {
  await deps.stats.record(recipe.id, outcome);
  return outcome;
}

async function attempt(
  job: Job<RunJobData>, recipe: Recipe, deps: RunDependencies, claim: Claim, log: RunDependencies['log'], mayRetrySession: boolean,
): Promise<RunOutcome> {
  const runLanes = new RunLanes(recipe.bots, deps, String(job.id));
  const lanes = runLanes.taken;
  const renewal = setInterval(() => void deps.ledger.renew(claim).catch(() => {}), deps.ledger.leaseMs / 3);
  let submitted = false;
  try {
    // Awaited, so what the staff page reads back is in order; a progress line that cannot be written never fails a run.
    const progress = async (step: RunStep) => {
      await Promise.all([job.updateProgress({ step }), deps.history.event(String(job.id), { kind: 'step', step })])
        .catch((error) => log.warn({ err: error, step }, 'progress not recorded'));
    };
    const context: Record<string, unknown> = { ...runLanes.handles(), input: job.data.input, log, ocr: deps.ocr, record: undefined };

    await progress('reading');
    context.record = await runStep(lanes, () => recipe.read(context as never));
    await progress('checking');
    const targetLanes = [await runLanes.lane(recipe.target)];
    if (claim.previous !== 'NEW' || job.attemptsMade > 0) {
      const found = await runStep(targetLanes, () => recipe.find(context as never));
      if (found) {
        await deps.ledger.transition(claim, 'DONE', { receipt: found, created: '0' });
        log.info({ receipt: found }, 'already in the target');
        await deps.evidence.end(lanes, { runId: String(job.id), recipe: recipe.id });
        return { state: 'DONE', receipt: found, created: false };
      }
    }
    await deps.ledger.transition(claim, 'SUBMITTING');
    await progress('entering');
    deps.beforeWrite?.();
    await holdLease(deps.ledger, claim);
    submitted = true;
    const receipt = await runStep(targetLanes, () => recipe.write(context as never));
    deps.afterWrite?.();
    await deps.ledger.transition(claim, 'DONE', { receipt, created: '1' });
    submitted = false;
    log.info({ receipt }, 'entered');
    if (recipe.verify) {
      await progress('verifying');
      await verifyOrFlag(recipe, context, targetLanes, receipt, claim, deps);
    }
    await deps.evidence.end(lanes, { runId: String(job.id), recipe: recipe.id });
    return { state: 'DONE', receipt, created: true };
  } catch (error) {
    const failure = await reloginIfLoggedOut(error, mayRetrySession, deps.pool);
    const retryingSession = failure instanceof LanesLoggedOutError && mayRetrySession;
    const run = { runId: String(job.id), recipe: recipe.id };
    const evidence = await deps.evidence.end(lanes, run, retryingSession ? undefined : (failure as Error));
    return settleFailure({ error: failure, job, claim, ledger: deps.ledger, submitted, evidence, log, mayRetrySession });
  } finally {
    clearInterval(renewal);
    for (const lane of lanes) deps.pool.release(lane);
  }
}

/**
 * Renews the lease right before `write` and insists the renewal was quick: a runner that
 * was frozen (GC pause, SIGSTOP) past its lease must not write once another may have taken over.
 * Nothing was submitted yet, so losing the lease is a transient failure, not UNKNOWN.
 */
async function holdLease(ledger: Ledger, claim: Claim): Promise<void> {
  const sentAt = Date.now();
  const held = await ledger.renew(claim);
  if (!held || Date.now() - sentAt > ledger.leaseMs / 2) {
    throw new RecordBusyError(`lost the lease on ${claim.recipe}/${claim.keyId} before writing`);
  }
}

/** Logs logged-out lanes in again while the run still holds them; a failed login becomes the failure. */
async function reloginIfLoggedOut(error: unknown, mayRetrySession: boolean, pool: SessionPool): Promise<unknown> {
  if (!(error instanceof LanesLoggedOutError) || !mayRetrySession) return error;
  try {
    for (const lane of error.lanes) await pool.relogin(lane);
    return error;
  } catch (loginError) {
    return loginError;
  }
}

/** Verifies with a few quick retries (logging in again when the session lapsed); a receipt that will not verify goes to ops for review. */
async function verifyOrFlag(
  recipe: Recipe, context: Record<string, unknown>, lanes: Lane[], receipt: string, claim: Claim, deps: RunDependencies,
): Promise<void> {
  let lastError: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      await runStep(lanes, () => recipe.verify!({ ...context, receipt } as never));
      return;
    } catch (error) {
      lastError = error;
      if ((error as Error).name === 'BusinessError') break;
      if (error instanceof LanesLoggedOutError) {
        for (const lane of error.lanes) await deps.pool.relogin(lane).catch(() => {});
      }
    }
  }
  await deps.ledger.transition(claim, 'NEEDS_REVIEW', { receipt, reason: `entered as ${receipt} but not verified: ${(lastError as Error).message}` });
  throw new UnrecoverableError(`entered as ${receipt} but not verified: ${(lastError as Error).message}`);
}
