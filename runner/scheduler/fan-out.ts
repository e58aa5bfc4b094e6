/**
 * A sync's fan-out: one run per listed record, with the usual (recipe, key) job id, so a
 * record already queued by a clerk or an earlier sync is found, not added again. Records
 * the ledger has already settled are skipped, so a sync with nothing new adds nothing.
 */
import type { Queue } from 'bullmq';
import type { Recipe } from '../define/recipe.ts';
import { InputError } from '../errors.ts';
import type { Ledger, LedgerState } from '../ledger/ledger.ts';
import type { RunJobData } from '../run/types.ts';
import { runJobSpec, type RunJobSpec, type TriggerOptions } from '../run/trigger.ts';
import { joinLines } from '../run/recipe-turns.ts';

/** Ledger states in which a record needs no run: its runs are over (ops may retry by hand), or it waits for a person's answer, which runs it again. */
export const SETTLED: LedgerState[] = ['DONE', 'NEEDS_REVIEW', 'REJECTED', 'FAILED', 'DISCARDED', 'WAITING_FOR_PERSON'];

/** Runs added in one Redis transaction. */
const BATCH = 500;

/** What a fan-out did. */
export interface FanOut {
  /** Key ids of the runs added (or found already queued). */
  keyIds: string[];
  /** Records skipped because the ledger had settled them. */
  skipped: number;
}

/** Fans out one run per input; resolves once every run is durably in the queue. */
export async function fanOut(
  queue: Queue<RunJobData>, ledger: Ledger, recipe: Recipe, inputs: unknown[], options: TriggerOptions,
): Promise<FanOut> {
  const specs = new Map<string, RunJobSpec>();
  for (const input of inputs) {
    try {
      const spec = runJobSpec(recipe, input, options);
      specs.set(spec.data.keyId, spec);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`recipe ${recipe.id} listed an input its own schema refuses: ${error.message}`);
      throw error;
    }
  }
  const states = await Promise.all([...specs.keys()].map(async (keyId) => (await ledger.get(recipe.id, keyId))?.state));
  const fresh = [...specs.values()].filter((_, i) => {
    const state = states[i];
    return !state || !SETTLED.includes(state);
  });
  for (let i = 0; i < fresh.length; i += BATCH) {
    await joinLines(queue, fresh.slice(i, i + BATCH));
    await queue.addBulk(fresh.slice(i, i + BATCH));
  }
  return { keyIds: fresh.map((spec) => spec.data.keyId), skipped: specs.size - fresh.length };
}
