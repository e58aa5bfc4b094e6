/** `ferry dashboard [--port N] [--host H] [--secure-cookie] [--trust-proxy P] [--json]`: the web UI for staff, ops and admins. */
import type { Command } from 'commander';
import { startDashboard } from '../../dashboard/server.ts';
import { config, parseTrustProxy } from '../../runner/config.ts';
import { openRuntime, SERVICE_REDIS_PATIENCE_MS } from '../../runner/runtime.ts';
import { UserStore } from '../../runner/access/users.ts';
import { note, printJson, say } from '../output.ts';
import { runUntilStopped } from '../shutdown.ts';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('the web UI: staff trigger runs, ops review failures, admins manage users; /metrics for Prometheus')
    .option('--port <n>', 'port to listen on (0: any free one)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--secure-cookie', 'send the session cookie over HTTPS only (behind a TLS proxy)')
    .option('--trust-proxy <proxies>', 'behind a proxy: its hop count, or its addresses/CIDRs (comma-separated); default FERRY_TRUST_PROXY')
    .option('--json', 'print {"dashboard": URL} as JSON')
    .action(async (options) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not "${options.port}"`);
      const trustProxy = options.trustProxy === undefined ? undefined : parseTrustProxy(options.trustProxy, '--trust-proxy');
      await runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
        const runtime = await openRuntime(config(), { role: 'dashboard', onRedisNotice: note, redisPatienceMs: SERVICE_REDIS_PATIENCE_MS });
        lifetime.defer(() => runtime.close());
        const dashboard = await startDashboard(runtime, {
          port, host: options.host, secureCookie: Boolean(options.secureCookie), metricsToken: runtime.config.metricsToken, trustProxy,
        });
        lifetime.defer(() => dashboard.close());
        if ((await new UserStore(runtime.redis, runtime.keys).list()).length === 0) {
          note('No users yet: add one with `ferry users add <name> --role admin`.');
        }
        if (options.json) printJson({ dashboard: dashboard.url });
        say(options.json, `Ferry dashboard at ${dashboard.url} (Ctrl-C stops)`);
        await lifetime.untilStopped();
      });
    });
}
