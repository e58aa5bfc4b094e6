/** Logging a bot in through its own `login`, as the runner does, for the bot's own tests. */
import type { Page } from 'playwright-core';
import { loginForm, type Bot } from '../../runner/define/bot.ts';
import { createLogger } from '../../runner/logger.ts';
import type { Ocr } from '../../runner/index.ts';

const silent = createLogger({ level: 'silent' });

/** Runs the bot's log-in form on `page` with a silent log; throws what the bot throws. */
export async function logInWithBot(
  bot: Bot<unknown>, page: Page, system: { baseUrl: string; credentials: { username: string; password: string }; ocr: Ocr },
): Promise<void> {
  const form = loginForm(bot);
  if (!form) throw new Error(`bot ${bot.id} has no log-in form`);
  await form({ page, log: silent, ...system });
}
