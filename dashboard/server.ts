/**
 * The dashboard: a server-rendered Fastify app for staff, ops and admins, with sessions
 * in Redis for signed-in users only, CSRF tokens on every POST (a signed double-submit
 * cookie, so an anonymous visitor costs no server-side state), a limit on failed log-ins,
 * security headers, and `/metrics` for Prometheus. `startDashboard` listens; tests and the
 * demo use it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import session from '@fastify/session';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditLogOf } from '../runner/access/audit.ts';
import { batchDeskOf } from '../runner/batch/batch-desk.ts';
import { FerryMetrics } from '../runner/status/metrics.ts';
import { opsActionsOf } from '../runner/run/ops-actions.ts';
import type { Runtime } from '../runner/runtime.ts';
import { UserStore } from '../runner/access/users.ts';
import { BODY_LIMIT_KB, registerAccess } from './access.ts';
import type { DashboardContext } from './context.ts';
import { Reachability } from './reachability.ts';
import { registerRoutes } from './routes/index.ts';
import { registerRedisDown } from './redis-down.ts';
import { RedisSessionStore } from './session-store.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const STYLESHEET = readFileSync(join(HERE, 'public', 'style.css'));

/** Compares two strings in constant time (through their hashes, so lengths may differ). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 takes any free port. @defaultValue 8080 */
  port?: number;
  /** Base URL per bot id, for the reachability check. @defaultValue the config's `botUrls` */
  botUrls?: Record<string, string>;
  /** A session ends after this many minutes without a request. @defaultValue 30 */
  idleMinutes?: number;
  /** Send the session cookie only over HTTPS (behind a TLS proxy). @defaultValue false */
  secureCookie?: boolean;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; unset, it is open. */
  metricsToken?: string;
  /**
   * The proxies in front of the dashboard, whose `X-Forwarded-For` gives the client's
   * address (for the log-in limit and the audit log): a hop count or addresses/CIDRs.
   * @defaultValue the config's `trustProxy` (none: the TCP peer is the client)
   */
  trustProxy?: number | string[];
}

/** How long `close()` lets requests in flight finish before it cuts their connections. */
export const DRAIN_MS = 5_000;

/** A listening dashboard. */
export interface RunningDashboard {
  url: string;
  app: FastifyInstance;
  /** Stops listening, lets requests in flight finish for up to {@link DRAIN_MS}, then cuts every connection left. */
  close(): Promise<void>;
}

/** Builds the app, not yet listening. */
export async function buildDashboard(runtime: Runtime, options: DashboardOptions = {}): Promise<FastifyInstance> {
  const idleMinutes = options.idleMinutes ?? 30;
  const audit = auditLogOf(runtime);
  const ctx: DashboardContext = {
    runtime, audit, idleMinutes,
    users: new UserStore(runtime.redis, runtime.keys),
    reachability: new Reachability(options.botUrls ?? runtime.config.botUrls),
    ops: opsActionsOf(runtime, audit),
    batches: batchDeskOf(runtime),
  };
  const metrics = await FerryMetrics.start(runtime, { systemsUp: () => ctx.reachability.all() });
  const proxies = options.trustProxy ?? runtime.config.trustProxy;
  // A hop count trusts that many proxies nearest the dashboard (as proxy-addr counts them).
  const trustProxy = typeof proxies === 'number' ? (_address: string, hop: number) => hop < proxies : proxies ?? false;
  const app = Fastify({ logger: false, trustProxy, bodyLimit: BODY_LIMIT_KB * 1024 });
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"], 'form-action': ["'self'"], 'upgrade-insecure-requests': null,
      },
    },
    frameguard: { action: 'deny' },
  });
  await app.register(cookie, { secret: runtime.secrets.keyedHash('dashboard-cookie') + runtime.secrets.keyedHash('dashboard-cookie-b') });
  registerRedisDown(app, runtime.redis);
  await app.register(formbody);
  // Batch files only: one file per request, one byte over the batch limit, so a bigger file is
  // known by being cut short (and told as such) rather than held whole or answered with a bare 413.
  await app.register(multipart, {
    limits: { fileSize: runtime.config.batchLimits.maxBytes + 1, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
    throwFileSizeLimit: false,
  });
  await app.register(session, {
    secret: `${runtime.secrets.keyedHash('dashboard-session-a')}${runtime.secrets.keyedHash('dashboard-session-b')}`,
    cookieName: 'ferry_session',
    store: new RedisSessionStore(runtime.redis, runtime.keys, idleMinutes * 60_000),
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'strict', secure: options.secureCookie ?? false, path: '/', maxAge: idleMinutes * 60_000 },
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'ferry_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: options.secureCookie ?? false, path: '/' },
  });
  await app.register(view, {
    engine: { eta: new Eta({ views: join(HERE, 'views'), cache: true }) },
    root: join(HERE, 'views'),
    layout: 'layout.eta',
  });
  registerAccess(app, ctx);
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.get('/static/style.css', { config: { access: 'public' } }, (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLESHEET);
  });
  app.get('/metrics', { config: { access: 'public' } }, async (request, reply) => {
    if (options.metricsToken && !sameSecret(request.headers.authorization ?? '', `Bearer ${options.metricsToken}`)) {
      return reply.code(401).send('metrics need the bearer token\n');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.text());
  });
  registerRoutes(app, ctx);
  app.addHook('onClose', () => metrics.close());
  return app;
}

/** Closes the app; connections still open after `drainMs` (a request that never ends, a client that never lets go) are cut. */
async function closeWithin(app: FastifyInstance, drainMs: number): Promise<void> {
  const deadline = setTimeout(() => app.server.closeAllConnections(), drainMs);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
}

/** Builds the dashboard and listens; `close()` stops it (the runtime stays open). */
export async function startDashboard(runtime: Runtime, options: DashboardOptions = {}): Promise<RunningDashboard> {
  const app = await buildDashboard(runtime, options);
  try {
    const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
    return { url, app, close: () => closeWithin(app, DRAIN_MS) };
  } catch (error) {
    await app.close();
    throw error;
  }
}
