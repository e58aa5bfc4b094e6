/** Logging a bot in through its own `login`, as the runner does, for the bot's own tests. */
import type { Page } from 'playwright-core';
import type { Bot } from '../../runner/define/bot.ts';
import { createLogger } from '../../runner/logger.ts';
import type { Ocr } from '../../runner/index.ts';

const silent = createLogger({ level: 'silent' });

/** Runs `bot.login` on `page` with a silent log; throws what the bot throws. */
export async function logInWithBot(
  bot: Bot<unknown>, page: Page, system: { baseUrl: string; credentials: { username: string; password: string }; ocr: Ocr },
): Promise<void> {
  await bot.login({ page, log: silent, ...system });
}
