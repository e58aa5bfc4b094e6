/**
 * Looking each record up in the target the way its recipe does: `read` from the source,
 * then the recipe's own `find`. The chaos proof of a recipe on any system counts with it,
 * so it needs nothing from the target but what the recipe already has.
 */
import type { Lane, SessionPool } from '../../runner/browser/session-pool.ts';
import type { Recipe } from '../../runner/define/recipe.ts';
import { classifyFailure } from '../../runner/errors.ts';
import type { Logger } from '../../runner/logger.ts';
import type { Ocr } from '../../runner/ocr/types.ts';
import { maskText } from '../../runner/access/mask.ts';

/** Tries per record before the check gives up (a busy target, a session that ended). */
const CHECK_ATTEMPTS = 4;

/** What the check needs. */
export interface FindCheck {
  pool: SessionPool;
  ocr: Ocr;
  log: Logger;
}

/**
 * Each input's receipt in the target as the recipe's `find` sees it, or null (not there, or its
 * record can no longer be read: `read` refused it). Throws when a record could not be checked.
 */
export async function receiptsThroughFind(recipe: Recipe, inputs: unknown[], check: FindCheck): Promise<(string | null)[]> {
  const bots = [...new Map(Object.values(recipe.bots).map((bot) => [bot.id, bot])).values()];
  const lanes: Lane[] = [];
  try {
    for (const bot of bots) lanes.push(await check.pool.acquire(bot));
    const laneOf = (id: string) => lanes.find((lane) => lane.bot.id === id)!;
    const handles = Object.fromEntries(Object.entries(recipe.bots).map(([alias, bot]) => {
      const lane = laneOf(bot.id);
      return [alias, { pages: bot.pages(lane.page, lane.baseUrl), page: lane.page }];
    }));
    const receipts: (string | null)[] = [];
    for (const [index, input] of inputs.entries()) {
      receipts.push(await receiptOf(index, async () => {
        const context = { ...handles, input, log: check.log, ocr: check.ocr, record: undefined, keep: async () => {} };
        context.record = await recipe.read(context as never);
        return recipe.find(context as never);
      }, async () => {
        for (const lane of lanes) await check.pool.relogin(lane);
      }));
    }
    return receipts;
  } finally {
    for (const lane of lanes) check.pool.release(lane);
  }
}

async function receiptOf(index: number, look: () => Promise<string | null>, relogin: () => Promise<void>): Promise<string | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await look();
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'business') return null;
      if (attempt >= CHECK_ATTEMPTS || kind === 'configuration' || kind === 'recipe-bug') {
        throw new Error(`could not look up input #${index + 1} through the recipe's read and find: ${maskText(String((error as Error)?.message ?? error).split('\n')[0])}`);
      }
      if (kind === 'session') await relogin();
    }
  }
}
