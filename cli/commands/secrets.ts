/** `ferry secrets set <bot>`: store a bot's login, encrypted (AES-256-GCM). */
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { config } from '../../runner/config.ts';
import { openRuntime } from '../../runner/runtime.ts';
import { note } from '../output.ts';

async function readPassword(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no password on standard input');
}

export function registerSecrets(program: Command): void {
  const secrets = program.command('secrets').description('credentials for the legacy systems, encrypted at rest');
  secrets
    .command('set <bot>')
    .description('store the login of a bot; the password is read from standard input')
    .requiredOption('--user <name>', 'the account name')
    .action(async (bot: string, options) => {
      note(`password for ${bot} (${options.user}), then Enter:`);
      const password = await readPassword();
      const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
      try {
        await runtime.credentials.set(bot, { username: options.user, password });
        note(`stored the credentials of ${bot}, encrypted`);
      } finally {
        await runtime.close();
      }
    });
}
