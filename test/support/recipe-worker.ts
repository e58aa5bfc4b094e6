/**
 * Test recipes on a whole Ferry: a worker whose registry holds recipes written in a test
 * file (not `recipes/`), triggering runs of them, and bots that count their log-ins.
 */
import { afterEach } from 'vitest';
import { loginForm, type Bot } from '../../runner/define/bot.ts';
import type { Recipe } from '../../runner/define/recipe.ts';
import { RecipeRegistry } from '../../runner/define/registry.ts';
import { triggerRun } from '../../runner/run/trigger.ts';
import { startWorker, type RunningWorker } from '../../runner/run/worker.ts';
import type { FerryHarness } from './ferry.ts';

/** A bot that counts how often its log-in form runs. */
export interface CountedBot<P> {
  bot: Bot<P>;
  logins(): number;
}

/** The same bot (same id, so the same stored credentials and URL) with its log-ins counted. */
export function countLogins<P>(bot: Bot<P>, changes: Partial<Bot<P>> = {}): CountedBot<P> {
  let logins = 0;
  const form = loginForm(bot as Bot<unknown>);
  if (!form) throw new Error(`bot ${bot.id} has no log-in form to count`);
  const login = { ...(bot.login as object), form: async (...args: Parameters<typeof form>) => { logins++; await form(...args); } };
  return { bot: { ...bot, ...changes, login }, logins: () => logins };
}

/** Starts workers over test recipes per test, closing them after each test (so no lane outlives its test). */
export function useRecipeWorker(ferry: () => FerryHarness) {
  const running: RunningWorker[] = [];
  afterEach(async () => {
    for (const worker of running.splice(0)) await worker.close();
  });
  return {
    /** Starts a worker that knows `recipes`; `botUrls` adds base URLs of bots the fixtures do not serve. */
    async start(recipes: Recipe<any, any, any>[], botUrls: Record<string, string> = {}): Promise<RunningWorker> {
      const registry = new RecipeRegistry(new Map(recipes.map((recipe) => [recipe.id, recipe as Recipe])));
      const worker = await startWorker({ ...ferry().runtime, recipes: registry }, { ocr: ferry().ocr, botUrls });
      running.push(worker);
      return worker;
    },
    /** Triggers a run of a test recipe; resolves with its job id. */
    async trigger(recipe: Recipe<any, any, any>, input: unknown): Promise<string> {
      const { runtime } = ferry();
      const job = await triggerRun(runtime.queue, recipe as Recipe, input, {
        trigger: { via: 'cli', by: 'cli:test' }, hash: (value) => runtime.secrets.keyedHash(value), attempts: runtime.config.attempts,
      });
      return job.id!;
    },
  };
}
