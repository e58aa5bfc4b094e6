/**
 * What a failed attempt leaves in the ledger, per DESIGN.md "Errors" and "Exactly once":
 * business errors are rejected for good; a failure after SUBMITTING leaves UNKNOWN so the
 * next attempt runs `find` first; an UNKNOWN that no attempt settles goes to review, and so
 * does an entered but unverified DONE. A settlement that changes the entry's state is counted
 * once in the day's figures; one that repeats it (a settled record triggered again) is not.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { classifyFailure, fixFor, ReplicasBehindError, RunHeldError } from '../errors.ts';
import { FencedError, type Claim, type Ledger, type LedgerState } from '../ledger/ledger.ts';
import type { Logger } from '../logger.ts';
import { maskError, maskText } from '../access/mask.ts';
import type { RunStats } from './stats.ts';
import type { RunJobData } from './types.ts';

/** The facts of a failed attempt. */
export interface FailedAttempt {
  error: unknown;
  job: Job<RunJobData>;
  claim: Claim;
  ledger: Ledger;
  stats: RunStats;
  /** True when `write` may have run in this attempt. */
  submitted: boolean;
  /** True when the ledger holds the record DONE, not yet verified (an earlier attempt's entry, or this one's). */
  entered: boolean;
  evidence?: string;
  log: Logger;
  /** True when a session error will be retried at once by the executor. */
  mayRetrySession: boolean;
}

/** Records the failure in the ledger and rethrows in the form BullMQ should see. */
export async function settleFailure(attempt: FailedAttempt): Promise<never> {
  const { error, job, claim, ledger, submitted, entered, log } = attempt;
  if (error instanceof UnrecoverableError) throw error;
  const kind = classifyFailure(error);
  const fix = fixFor(error);
  const reason = [maskText((error as Error)?.message ?? String(error)).split('\n')[0].slice(0, 500), fix].filter(Boolean).join(' · ');
  const fields: Record<string, string> = { reason, ...(attempt.evidence ? { evidence: attempt.evidence } : {}) };
  // An entry DONE here was entered but not verified: it is in the target, so it is never REJECTED or FAILED, and it stays DONE.
  const uncertain = submitted || entered || claim.previous === 'SUBMITTING' || claim.previous === 'UNKNOWN';
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const current: LedgerState = submitted ? 'UNKNOWN' : entered ? 'DONE' : claim.previous === 'NEW' ? 'CLAIMED' : claim.previous;

  const settle = async (state: LedgerState, options: { endLease?: boolean; final?: boolean } = {}) => {
    try {
      await ledger.transition(claim, state, fields, options);
    } catch (unrecorded) {
      // Fenced, or refused by a primary without its replicas (a fail-over): the entry keeps its state until its lease lapses.
      log.warn({ err: unrecorded }, unrecorded instanceof FencedError ? 'could not record the failure: fenced by another runner' : 'could not record the failure: Redis refused it; the entry keeps its state until its lease lapses');
      return;
    }
    if (options.final && state !== claim.previous) await attempt.stats.record(claim.recipe, { state });
  };

  // Entered, and DONE written, but its replicas did not acknowledge: DONE stands (the record is in
  // the target); the run waits and its next attempt finds DONE, or after a fail-over that lost it,
  // the acknowledged SUBMITTING, whose `find` finds the row.
  if (error instanceof ReplicasBehindError && error.state === 'DONE') {
    log.warn({ reason }, 'entered; its DONE is not yet on a replica, so the run waits');
    throw error;
  }
  // The bot's circuit stopped the login, its sessions stayed busy, or replicas did not acknowledge
  // the claim or SUBMITTING: the run waits (the processor delays it), no attempt spent, nothing settled.
  if (error instanceof RunHeldError) {
    await settle(current, { endLease: true });
    throw error;
  }
  if (kind === 'session' && attempt.mayRetrySession) {
    await settle(current);
    throw error;
  }
  // From here the error goes to BullMQ, which stores message and stack in Redis: mask both.
  if (kind === 'business' && !entered) {
    log.info({ reason }, 'rejected');
    await settle('REJECTED', { final: true });
    throw new UnrecoverableError(reason);
  }
  if (kind === 'business' || kind === 'configuration' || kind === 'recipe-bug' || lastAttempt) {
    const state = uncertain ? 'NEEDS_REVIEW' : 'FAILED';
    log.warn({ reason, state, evidence: attempt.evidence }, 'run failed for good');
    await settle(state, { final: true });
    throw new UnrecoverableError(reason);
  }
  log.info({ reason }, 'transient failure; will retry');
  await settle(current, { endLease: true });
  throw maskError(error);
}
