/**
 * `ferry secrets set <bot>`: store a bot's login, encrypted (AES-256-GCM). Only a bot some
 * recipe uses is accepted; the password is read from a pipe, or typed without echo. With
 * `--http` it stores the bot's HTTP-auth account beside its form account, for a system that
 * asks for one account at the HTTP layer and another in its log-in form. Storing them resumes
 * a bot whose circuit paused its logins after refusals.
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
    .option('--http', 'store the HTTP-auth account (when it differs from the log-in form\'s); the form account stays')
    .action(async (bot: string, options: { user: string; http?: boolean }) => {
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        runtime.recipes.bot(bot);
        const kind = options.http ? 'HTTP-auth password' : 'password';
        const password = await readSecret(`${kind} for ${bot} (${options.user}), then Enter: `);
        if (!password) throw new InputError('The password is empty; nothing was stored.');
        const account = { username: options.user, password };
        if (options.http) {
          await runtime.credentials.setHttp(bot, account).catch((error: Error) => {
            throw error.name === 'ConfigError' && error.message.startsWith('No credentials')
              ? new InputError(`Store the main account of ${bot} first (\`ferry secrets set ${bot} --user <name>\`), then its HTTP-auth account.`)
              : error;
          });
        } else {
          await runtime.credentials.setMain(bot, account);
        }
        note(`stored the ${options.http ? 'HTTP-auth ' : ''}credentials of ${bot}, encrypted`);
        // New credentials are what a paused bot waits for: its logins resume, and its waiting runs go on.
        if (await runtime.circuits.resume(bot)) note(`${bot}'s logins resume; its waiting runs go on within a minute`);
      } finally {
        await runtime.close();
      }
    });
}
