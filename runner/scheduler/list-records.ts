/**
 * A recipe's list step inside a sync: lanes taken lazily from the worker's session pool,
 * as a run takes them (a bot the step never calls is never logged in), the `list` step run
 * against them (logging in again once to a system that logged its bot out), evidence kept
 * if it fails (not when it only asked a person), lanes returned.
 */
import { PersonNeededError, type Ask, type Questions } from '../ask/question.ts';
import type { SessionPool } from '../browser/session-pool.ts';
import type { Recipe } from '../define/recipe.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { Logger } from '../logger.ts';
import type { Ocr } from '../ocr/types.ts';
import { RunLanes } from '../run/lanes.ts';
import { LanesLoggedOutError, runStep } from '../run/steps.ts';

/** What listing needs from the worker. */
export interface ListDependencies {
  pool: SessionPool;
  evidence: EvidenceStore;
  log: Logger;
  ocr: Ocr;
}

/** What a sync asks its `list` for: records since `since` (`YYYY-MM-DD`), at the slot of `day`, with `ask` for a question about the batch. */
export interface ListRequest {
  since: string;
  day: string;
  ask: Ask<Questions>;
}

/** The raw inputs the recipe lists for `request`; `syncId` names the evidence. */
export async function listRecords(recipe: Recipe, request: ListRequest, syncId: string, deps: ListDependencies): Promise<unknown[]> {
  const list = recipe.schedule?.list;
  if (!list) throw new Error(`recipe ${recipe.id} has no schedule`);
  const runLanes = new RunLanes(recipe.bots, deps, syncId);
  const lanes = runLanes.taken;
  const context = { ...runLanes.handles(), ...request, log: deps.log, ocr: deps.ocr } as Parameters<typeof list>[0];
  try {
    const inputs = await runStep(lanes, () => list(context)).catch(async (error) => {
      if (!(error instanceof LanesLoggedOutError)) throw error;
      for (const lane of error.lanes) await deps.pool.relogin(lane);
      return runStep(lanes, () => list(context));
    });
    await deps.evidence.end(lanes, { runId: syncId, recipe: recipe.id });
    return inputs;
  } catch (error) {
    await deps.evidence.end(lanes, { runId: syncId, recipe: recipe.id }, error instanceof PersonNeededError ? undefined : (error as Error));
    throw error;
  } finally {
    for (const lane of lanes) deps.pool.release(lane);
  }
}
