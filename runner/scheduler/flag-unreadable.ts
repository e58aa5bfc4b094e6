/**
 * The runs of rows a sync listed but could not read: one per row, with a job id from the
 * row's keyed `ref`, carrying no input and the reason only. The run ends REJECTED with that
 * reason at once, so the row lands on the ops page and the sync moves on. A row flagged and
 * settled by an earlier sync is skipped, as a settled record is in a fan-out.
 */
import type { Queue } from 'bullmq';
import { maskText } from '../access/mask.ts';
import type { Recipe } from '../define/recipe.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { runJobId } from '../run/key.ts';
import type { RunJobSpec, TriggerOptions } from '../run/trigger.ts';
import type { RunJobData } from '../run/types.ts';
import { SETTLED, type FanOut } from './fan-out.ts';
import { unreadableKeyId, type UnreadableRow } from './unreadable-row.ts';

/** Adds one run per unreadable row; resolves once they are durably in the queue. */
export async function flagUnreadable(
  queue: Queue<RunJobData>, ledger: Ledger, recipe: Recipe, rows: UnreadableRow[], options: TriggerOptions,
): Promise<FanOut> {
  const specs = new Map<string, RunJobSpec>();
  for (const row of rows) {
    const keyId = unreadableKeyId(row, options.hash);
    specs.set(keyId, {
      name: 'run',
      data: { recipe: recipe.id, input: null, keyId, trigger: options.trigger, unreadable: maskText(row.reason).slice(0, 500) },
      opts: { jobId: runJobId(recipe.id, keyId), attempts: 1, removeOnFail: { age: 30 * 86_400 } },
    });
  }
  const states = await Promise.all([...specs.keys()].map(async (keyId) => (await ledger.get(recipe.id, keyId))?.state));
  const fresh = [...specs.values()].filter((_, i) => !states[i] || !SETTLED.includes(states[i]));
  if (fresh.length > 0) await queue.addBulk(fresh);
  return { keyIds: fresh.map((spec) => spec.data.keyId), skipped: specs.size - fresh.length };
}
