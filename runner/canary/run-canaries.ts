/**
 * Running the canaries of some bots through a session pool (a worker's, or `ferry canary`'s):
 * one session per bot, taken like a run's, so a canary respects the system's session cap.
 */
import type { SessionPool } from '../browser/session-pool.ts';
import type { Bot } from '../define/bot.ts';
import type { Logger } from '../logger.ts';
import { maskText } from '../access/mask.ts';
import { checkScreens, type CanaryReport } from './canary.ts';
import type { CanaryStore } from './canary-store.ts';

/** What running canaries needs. */
export interface CanaryDependencies {
  pool: SessionPool;
  store: CanaryStore;
  log: Logger;
}

/** A report for a bot whose canaries could not run at all (its log-in failed, say). */
function unreachable(bot: Bot<unknown>, error: unknown): CanaryReport {
  const reason = maskText(String((error as Error)?.message ?? error).split('\n')[0]);
  return {
    bot: bot.id, title: bot.title, checkedAt: new Date().toISOString(), screens: bot.canaries?.length ?? 0, locators: 0,
    problems: [{ screen: '', locator: '', description: '', found: 0, reason: `could not log in: ${reason}`, suggestions: [] }],
  };
}

/** Runs the canaries of each bot that has any, stores each report, and returns them. */
export async function runCanaries(bots: Bot<unknown>[], deps: CanaryDependencies): Promise<CanaryReport[]> {
  const reports: CanaryReport[] = [];
  for (const bot of bots.filter((candidate) => candidate.canaries?.length)) {
    const lane = await deps.pool.acquire(bot).catch((error: unknown) => error as Error);
    if (lane instanceof Error) {
      const report = unreachable(bot, lane);
      await deps.store.save(report, new Map());
      reports.push(report);
      continue;
    }
    try {
      const { report, resolved } = await checkScreens(bot, lane.page, lane.baseUrl, await deps.store.baseline(bot.id));
      await deps.store.save(report, resolved);
      reports.push(report);
      for (const problem of report.problems) {
        deps.log.warn({ bot: bot.id, screen: problem.screen, locator: problem.locator, found: problem.found, likely: problem.suggestions[0]?.locator }, 'canary: a locator no longer resolves');
      }
      if (!report.problems.length) deps.log.info({ bot: bot.id, screens: report.screens, locators: report.locators }, 'canary passed');
    } finally {
      deps.pool.release(lane);
    }
  }
  return reports;
}
