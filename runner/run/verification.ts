/**
 * The last step of a run that entered a record: `verify` the receipt in the target, then
 * mark the ledger's DONE verified. The entry stays DONE with `verified: '0'` until then, so
 * a run that dies in between leaves it to the next attempt, which verifies it (and never
 * writes again). A receipt that will not verify goes to ops as NEEDS_REVIEW; a verify cut short
 * by the run's lapsed lease (its browser closed under it) is left to the next attempt instead.
 */
import { UnrecoverableError } from 'bullmq';
import { maskText } from '../access/mask.ts';
import type { Lane } from '../browser/session-pool.ts';
import type { Recipe } from '../define/recipe.ts';
import type { Claim } from '../ledger/ledger.ts';
import type { RunDependencies } from './executor.ts';
import { LanesLoggedOutError, runStep } from './steps.ts';
import type { RunStep } from './types.ts';

/** What verifying a run's receipt needs. */
export interface Verification {
  recipe: Recipe;
  /** The run's step context (input, record, bot handles). */
  context: Record<string, unknown>;
  claim: Claim;
  deps: Pick<RunDependencies, 'ledger' | 'pool' | 'stats' | 'beforeVerify'>;
  progress(step: RunStep): Promise<void>;
  /** True once the run's lease lapsed and its browser was closed: a failed verify then says nothing about the receipt. */
  leaseLapsed(): boolean;
}

const VERIFY_TRIES = 3;

/** Verifies `receipt` and marks the DONE verified; throws (UnrecoverableError) after flagging one that will not verify. */
export async function completeVerification(verification: Verification, lanes: Lane[], receipt: string): Promise<void> {
  const { recipe, claim, deps } = verification;
  if (recipe.verify) {
    deps.beforeVerify?.();
    await verification.progress('verifying');
    await verifyOrFlag(verification, lanes, receipt);
  }
  await deps.ledger.transition(claim, 'DONE', { verified: '1' });
}

/** Verifies with a few quick retries (logging in again when the session lapsed); a receipt that will not verify goes to ops for review. */
async function verifyOrFlag(verification: Verification, lanes: Lane[], receipt: string): Promise<void> {
  const { recipe, context, claim, deps } = verification;
  let lastError: unknown;
  for (let i = 0; i < VERIFY_TRIES; i++) {
    try {
      await runStep(lanes, () => recipe.verify!({ ...context, receipt } as never));
      return;
    } catch (error) {
      lastError = error;
      // The entry stays DONE unverified, and the attempt fails as a lost lease: the next one verifies.
      if (verification.leaseLapsed()) throw error;
      if ((error as Error).name === 'BusinessError') break;
      if (error instanceof LanesLoggedOutError) {
        for (const lane of error.lanes) await deps.pool.relogin(lane).catch(() => {});
      }
    }
  }
  const reason = maskText(`entered as ${receipt} but not verified: ${(lastError as Error).message}`);
  await deps.ledger.transition(claim, 'NEEDS_REVIEW', { receipt, reason });
  await deps.stats.record(recipe.id, { state: 'NEEDS_REVIEW' });
  throw new UnrecoverableError(reason);
}
