/**
 * `ferry secrets set <bot>`: store a bot's login, encrypted (AES-256-GCM). Only a bot some
 * recipe uses is accepted; the password is read from a pipe, or typed without echo.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { InputError } from '../../runner/errors.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { note } from '../output.ts';
import { readSecret } from '../read-secret.ts';

export function registerSecrets(program: Command): void {
  const secrets = program.command('secrets').description('credentials for the legacy systems, encrypted at rest');
  secrets
    .command('set <bot>')
    .description('store the login of a bot; the password is read from standard input (not echoed at a terminal)')
    .requiredOption('--user <name>', 'the account name')
    .action(async (bot: string, options) => {
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        const known = runtime.recipes.botIds();
        if (!known.includes(bot)) throw new InputError(`Unknown bot "${bot}". Known bots: ${known.join(', ')}.`);
        const password = await readSecret(`password for ${bot} (${options.user}), then Enter: `);
        if (!password) throw new InputError('The password is empty; nothing was stored.');
        await runtime.credentials.set(bot, { username: options.user, password });
        note(`stored the credentials of ${bot}, encrypted`);
      } finally {
        await runtime.close();
      }
    });
}
