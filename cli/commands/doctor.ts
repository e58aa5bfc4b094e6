/** `ferry doctor [--json]`: checks Chromium, Redis, language data and fonts. */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { runDoctor } from '../doctor.ts';
import { printJson } from '../output.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check Chromium, redis-server, tesseract language data, CJK fonts and that every recipe loads')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const checks = await runDoctor(config());
      if (options.json) printJson(checks);
      else for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}${check.fix ? `\n     fix: ${check.fix}` : ''}\n`);
      if (checks.some((check) => !check.ok)) process.exitCode = 1;
    });
}
