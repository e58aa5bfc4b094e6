/** `ferry fixtures [--host H] [--json]`: serve the mock legacy systems until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { startFixtures } from '../../fixtures/start.ts';
import { config } from '../../runner/config.ts';
import { printJson, say } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';

export function registerFixtures(program: Command): void {
  program
    .command('fixtures')
    .description('start the mock legacy systems (acceptance, medical-insurance, residence, housing-fund) and print their URLs')
    .option('--json', 'print one JSON line with the base URLs')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--applicants <n>', 'seeded applicants to generate', '3000')
    .option('--seed <n>', 'random seed', '20260301')
    .option('--captcha <on|off>', 'captcha on the medical-insurance login', 'on')
    .option('--latency <ms>', 'latency of every page', '0')
    .option('--error-rate <p>', 'share of pages answering 500 系统繁忙', '0')
    .option('--error-after-commit-rate <p>', 'share of saves that store and then fail', '0')
    .option('--session-idle <seconds>', 'session idle timeout', '1800')
    .option('--grid-delay <ms>', 'how long the housing-fund query grid takes to load', '15000')
    .action(async (options) => runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
      const fixtures = await startFixtures({
        host: options.host,
        seed: Number(options.seed),
        applicants: Number(options.applicants),
        faults: {
          captcha: options.captcha !== 'off',
          latencyMs: Number(options.latency),
          errorRate: Number(options.errorRate),
          errorAfterCommitRate: Number(options.errorAfterCommitRate),
          sessionIdleSeconds: Number(options.sessionIdle),
          gridDelayMs: Number(options.gridDelay),
        },
      });
      lifetime.defer(() => fixtures.stop());
      if (options.json) printJson(fixtures.urls);
      for (const [name, url] of Object.entries(fixtures.urls)) say(options.json, `${name.padEnd(18)} ${url}`);
      say(options.json, 'Faults: POST <url>/__fixture/faults. Ctrl-C stops.');
      await lifetime.untilStopped();
    }));
}
