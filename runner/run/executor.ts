/**
 * Folder `runner/run/`: one run of one record, from trigger to outcome: the job and its id,
 * the executor and its steps, session lanes, failure and evidence, retry back-off, run history
 * and daily stats, waiting for outcomes, ops actions, and the worker process that runs it all.
 *
 * One run of a recipe for one record: the exactly-once protocol of DESIGN.md.
 * Claim the ledger entry (fenced), read, `find` first whenever the record may already
 * be in the target, mark SUBMITTING, write (a refusal is checked with `find`), record DONE
 * with the receipt, then verify. Each settlement is counted once in the day's figures. The
 * lease is kept, and the run fenced when it may have lapsed, by ./lease-keeper.ts.
 */
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { SessionPool } from '../browser/session-pool.ts';
import type { Recipe } from '../define/recipe.ts';
import { BusinessError, classifyFailure, RecipeBugError, RecordBusyError, RunHeldError, WriteInFlightError } from '../errors.ts';
import { KEPT_DOCUMENT, type EvidenceStore } from '../evidence/evidence-store.ts';
import type { Claim, Ledger } from '../ledger/ledger.ts';
import type { Logger } from '../logger.ts';
import type { Ocr } from '../ocr/types.ts';
import { settleFailure } from './failure.ts';
import { RunLanes } from './lanes.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import type { RunHistory } from './history.ts';
import type { RunStats } from './stats.ts';
import { LanesLoggedOutError, runStep } from './steps.ts';
import { completeVerification } from './verification.ts';
import type { RunJobData, RunOutcome, RunStep } from './types.ts';
import { askerFor, confirmRecord, questionsOf } from '../ask/asker.ts';
import { PersonNeededError } from '../ask/question.ts';
import type { TaskStore } from '../ask/task-store.ts';
import type { SecretBox } from '../access/secrets.ts';
import { openInput } from './sealed-input.ts';

/** A write that returned: what the chaos hook after `write` is told. */
export interface WrittenRecord {
  recipe: string;
  keyId: string;
  receipt: string;
}

/** What a worker hands the executor. */
export interface RunDependencies {
  ledger: Ledger;
  pool: SessionPool;
  evidence: EvidenceStore;
  stats: RunStats;
  history: RunHistory;
  log: Logger;
  ocr: Ocr;
  /** Where `read`'s questions to people are opened and their answers found. */
  tasks: TaskStore;
  /** Opens the input of a recipe with `sealedInput`. */
  secrets: SecretBox;
  workerId: string;
  /** Test-only chaos hook run between `write` and the ledger's DONE. */
  afterWrite?: (written: WrittenRecord) => void;
  /** Test-only chaos hook run after SUBMITTING, just before the lease check that precedes `write`. */
  beforeWrite?: () => void;
  /** Test-only chaos hook run after the ledger's DONE, just before `verify`. */
  beforeVerify?: () => void;
}

const SESSION_RETRIES = 2;

/** Executes a run job; returns its outcome or throws (BullMQ then retries or fails it). */
export async function executeRun(job: Job<RunJobData>, recipe: Recipe, deps: RunDependencies): Promise<RunOutcome> {
  const log = deps.log.child({ recipe: recipe.id, run: job.id, attempt: job.attemptsMade + 1 });
  // Unique per execution: BullMQ may start a stalled job again on the same worker while the
  // first execution still runs, and the ledger lets an owner reclaim its own live lease.
  const owner = `${deps.workerId}/${job.id}/${randomBytes(4).toString('hex')}`;
  for (let sessionRetry = 0; ; sessionRetry++) {
    const claimedAt = Date.now();
    const claimed = await deps.ledger.claim(recipe.id, job.data.keyId, owner);
    if (claimed.kind === 'busy') throw new RecordBusyError(`another runner holds ${recipe.id}/${job.data.keyId}`);
    if (claimed.kind === 'settled') throw new UnrecoverableError(`already settled as ${claimed.state}: ${claimed.reason}`);
    // Settled (and counted) by an earlier run: this one adds nothing to the figures.
    if (claimed.kind === 'done') return { state: 'DONE', receipt: claimed.receipt, created: false };
    try {
      return await attempt(job, recipe, deps, { ...claimed.claim, claimedAt }, log, sessionRetry < SESSION_RETRIES);
    } catch (error) {
      if (!(error instanceof LanesLoggedOutError) || sessionRetry >= SESSION_RETRIES) throw error;
    }
  }
}

async function attempt(
  job: Job<RunJobData>, recipe: Recipe, deps: RunDependencies, claim: Claim & { claimedAt: number }, log: RunDependencies['log'], mayRetrySession: boolean,
): Promise<RunOutcome> {
  const runLanes = new RunLanes(recipe.bots, deps, String(job.id));
  const lanes = runLanes.taken;
  const run = { runId: String(job.id), recipe: recipe.id };
  const lease = new LeaseKeeper(deps.ledger, claim, claim.claimedAt, () => {
    log.warn('lease may have lapsed: closing the run\'s browser');
    for (const lane of lanes) void lane.context.close().catch(() => {});
  });
  let submitted = false;
  /** The ledger holds this record DONE, not yet verified: entered by an earlier attempt, or by this one. */
  let entered = claim.previous === 'DONE';
  /** Documents the recipe kept in this attempt, by name. */
  const kept = new Map<string, Buffer>();
  try {
    // Awaited, so what the staff page reads back is in order; a progress line that cannot be written never fails a run.
    const progress = async (step: RunStep) => {
      await Promise.all([job.updateProgress({ step }), deps.history.event(String(job.id), { kind: 'step', step })])
        .catch((error) => log.warn({ err: error, step }, 'progress not recorded'));
    };
    const keep = async (name: string, content: Buffer) => {
      if (!KEPT_DOCUMENT.test(name)) throw new RecipeBugError(`keep: "${name.slice(0, 60)}" is not a plain file name ending in .pdf, .png, .jpg, .jpeg, .html, .txt or .xml`);
      kept.set(name, content);
    };
    const context: Record<string, unknown> = { ...runLanes.handles(), input: openInput(recipe, job.data.input, deps.secrets), log, ocr: deps.ocr, record: undefined, keep };
    const verification = { recipe, context, claim, deps, progress, leaseLapsed: () => lease.lapsed };

    if (job.data.unreadable !== undefined) throw new BusinessError(job.data.unreadable);
    await progress('reading');
    // Every step's context carries `ask` (types give it to read alone); after read it refuses with a RecipeBugError.
    const asker = askerFor(deps.tasks, { recipe: recipe.id, keyId: claim.keyId }, questionsOf(recipe));
    context.ask = asker.ask;
    try {
      context.record = await runStep(lanes, async () => {
        const record = await recipe.read(context as never);
        return job.data.confirm && recipe.confirm === 'trigger' ? confirmRecord(asker.ask, recipe, record) : record;
      });
    } catch (error) {
      if (!(error instanceof PersonNeededError)) throw error;
      const task = await waitForPerson(job, recipe, deps, claim, error);
      const evidence = await deps.evidence.end(lanes, run, undefined, kept);
      return { state: 'WAITING_FOR_PERSON', task, ...(evidence ? { evidence } : {}) };
    } finally {
      asker.close();
    }
    await progress('checking');
    // The target is logged in before anything is claimed for writing; every step still checks all the run's lanes.
    await runLanes.lane(recipe.target);
    const settle = async (outcome: RunOutcome): Promise<RunOutcome> => {
      const evidence = await deps.evidence.end(lanes, run, undefined, kept);
      await deps.stats.record(recipe.id, outcome);
      return evidence ? { ...outcome, evidence } : outcome;
    };
    if (claim.previous === 'DONE') {
      // A run that died between DONE and `verify` left the entry unverified: finish its verify, never write again.
      const entry = await deps.ledger.get(recipe.id, claim.keyId);
      const receipt = entry?.receipt ?? '';
      await completeVerification(verification, lanes, receipt);
      return settle({ state: 'DONE', receipt, created: entry?.created === '1' });
    }
    const find = () => runStep(lanes, () => recipe.find(context as never));
    const foundDone = async (found: string) => {
      await deps.ledger.transition(claim, 'DONE', { receipt: found, created: '0', verified: '1' });
      log.info({ receipt: found }, 'already in the target');
      return settle({ state: 'DONE', receipt: found, created: false });
    };
    // A record new to the ledger skips `find`, unless the recipe's records may be in the target already by other ways.
    if (recipe.findFirst || claim.previous !== 'NEW' || job.attemptsMade > 0) {
      const found = await find();
      if (found) return foundDone(found);
    }
    // Not found, but a runner that lost its lease mid-write may have a request on its way: wait for it, then look again.
    if (claim.quietUntil > Date.now()) throw new WriteInFlightError(recipe.id, claim.keyId, claim.quietUntil);
    await deps.ledger.transition(claim, 'SUBMITTING');
    await progress('entering');
    deps.beforeWrite?.();
    await lease.holdForWrite();
    submitted = true;
    const written = await runStep(lanes, () => recipe.write(context as never)).then(
      (receipt) => ({ receipt }),
      (error) => (classifyFailure(error) === 'business' ? findAfterRefusal(error, find) : Promise.reject(error)),
    );
    if ('found' in written) return foundDone(written.found);
    const { receipt } = written;
    deps.afterWrite?.({ recipe: recipe.id, keyId: claim.keyId, receipt });
    await deps.ledger.transition(claim, 'DONE', { receipt, created: '1', ...(recipe.verify ? { verified: '0' } : {}) });
    submitted = false;
    entered = true;
    log.info({ receipt }, 'entered');
    await completeVerification(verification, lanes, receipt);
    return settle({ state: 'DONE', receipt, created: true });
  } catch (caught) {
    const error = lease.lapsed ? lease.lapseError() : caught;
    const failure = await reloginIfLoggedOut(error, mayRetrySession, deps.pool);
    const retryingSession = failure instanceof LanesLoggedOutError && mayRetrySession;
    // A held run failed at nothing: it keeps no evidence.
    const evidence = await deps.evidence.end(lanes, run, retryingSession || failure instanceof RunHeldError ? undefined : (failure as Error), kept);
    return settleFailure({ error: failure, job, claim, ledger: deps.ledger, stats: deps.stats, submitted, entered, evidence, log, mayRetrySession });
  } finally {
    lease.stop();
    for (const lane of lanes) deps.pool.release(lane);
  }
}

/**
 * `read` asked a question nobody has answered: the task opens (or is found open), then the
 * entry waits, its lease ended, holding no session and no worker. Nothing was entered, so
 * the run that an answer starts claims the entry as usual and runs `find` first.
 */
async function waitForPerson(job: Job<RunJobData>, recipe: Recipe, deps: RunDependencies, claim: Claim, needed: PersonNeededError): Promise<string> {
  const task = await deps.tasks.open({
    run: String(job.id), recipe: recipe.id, keyId: claim.keyId, questionId: needed.questionId, question: needed.question,
    trigger: job.data.trigger, details: needed.details,
  });
  await deps.ledger.transition(claim, 'WAITING_FOR_PERSON', { reason: `waiting for a person: ${needed.questionId}`, task }, { endLease: true });
  deps.log.info({ recipe: recipe.id, run: job.id, task, question: needed.questionId }, 'waiting for a person');
  return task;
}

/**
 * `write` refused the record, but after SUBMITTING nothing is known: the target may have
 * saved it before answering. `find` settles it: found is DONE; not found, the refusal stands.
 * A `find` that fails leaves the run uncertain (UNKNOWN, retried with `find` first).
 */
async function findAfterRefusal(refusal: unknown, find: () => Promise<string | null>): Promise<{ found: string }> {
  let found: string | null;
  try {
    found = await find();
  } catch (error) {
    if (error instanceof LanesLoggedOutError) throw error;
    throw new Error(`the target refused the entry and could not be checked afterwards: ${(error as Error).message}`, { cause: refusal });
  }
  if (!found) throw refusal;
  return { found };
}

/** Logs the logged-out lanes (those of the bots that were logged out, no other) in again while the run still holds them; a failed login becomes the failure. */
async function reloginIfLoggedOut(error: unknown, mayRetrySession: boolean, pool: SessionPool): Promise<unknown> {
  if (!(error instanceof LanesLoggedOutError) || !mayRetrySession) return error;
  try {
    for (const lane of error.lanes) await pool.relogin(lane);
    return error;
  } catch (loginError) {
    return loginError;
  }
}
