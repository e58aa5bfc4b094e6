/**
 * Who may do what, checked on every route: each route declares its access (`public` or
 * the least role), and a hook refuses the rest before any handler runs. Unknown visitors
 * go to the log-in page (401 for the JSON API); a role too low gets a 403 page (403 JSON
 * for the API), and the refusal is audited. Also the error pages: CSRF, 400, 404, 413, 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast } from '../runner/access/users.ts';
import type { DashboardContext } from './context.ts';
import { pickLanguage, translator } from './i18n/index.ts';
import { page } from './render.ts';
import { safePath } from './safe-path.ts';

/** The largest request body the dashboard reads; its forms carry a few short fields. */
export const BODY_LIMIT_KB = 64;

/** True for requests answered with JSON: the `/api/` routes and clients that ask for it. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}

/** An error page (HTML) or `{ error, message }` (JSON) with the status. */
export function refuse(request: FastifyRequest, reply: FastifyReply, status: 400 | 401 | 403 | 404 | 413 | 429 | 500, kind: string, values: Record<string, string | number> = {}) {
  const t = request.t;
  const key = (part: 'title' | 'body') => `error.${kind}.${part}` as Parameters<typeof t>[0];
  if (wantsJson(request)) return reply.code(status).send({ error: kind, message: t(key('body'), values) });
  return page(request, reply, 'error.eta', { title: t(key('title')), body: t(key('body'), values) }, status);
}

/**
 * A link from another site arrives without the SameSite=Strict session cookie; answering
 * it as a stranger would start a new session over the real one. A same-origin reload of
 * the address brings the cookie along.
 */
function bounce(reply: FastifyReply, url: string) {
  const target = url.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return reply.type('text/html; charset=utf-8').send(`<!doctype html><meta http-equiv="refresh" content="0;url=${target}">`);
}

export function registerAccess(app: FastifyInstance, ctx: DashboardContext): void {
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access`);
  });

  app.addHook('onRequest', async (request, reply) => {
    request.language = pickLanguage(request.cookies.lang, request.headers['accept-language']);
    request.t = translator(request.language);
    if (request.method === 'GET' && request.headers['sec-fetch-site'] === 'cross-site' && request.headers['sec-fetch-mode'] === 'navigate') {
      return bounce(reply, safePath(request.url) ?? '/');
    }
    const access = request.routeOptions.config?.access ?? 'public';
    if (access === 'public') return;
    const user = request.session.user ? await ctx.users.get(request.session.user) : null;
    if (!user) {
      if (request.session.user) await request.session.destroy();
      if (wantsJson(request)) return reply.code(401).send({ error: 'unauthenticated', message: 'log in first' });
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/login${next}`, 303);
    }
    request.user = user;
    if (!roleAtLeast(user.role, access)) {
      await ctx.audit.record({ who: user.name, ip: request.ip, action: 'forbidden', target: `${request.method} ${request.url}`, outcome: 'denied', detail: `needs ${access}` });
      return refuse(request, reply, 403, '403', { role: request.t(`role.${user.role}`) });
    }
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST') app.csrfProtection(request, reply, done);
    else done();
  });

  app.setNotFoundHandler((request, reply) => refuse(request, reply, 404, '404'));

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    request.language ??= pickLanguage(request.cookies?.lang, request.headers['accept-language']);
    request.t ??= translator(request.language);
    if (error.code?.startsWith('FST_CSRF')) {
      await ctx.audit.record({
        who: request.user?.name ?? request.session?.user ?? '-', ip: request.ip, action: 'forbidden',
        target: `${request.method} ${request.url.split('?')[0]}`, outcome: 'denied', detail: 'missing or invalid CSRF token',
      });
      return refuse(request, reply, 403, 'csrf');
    }
    if (error.statusCode === 413) return refuse(request, reply, 413, '413', { kb: BODY_LIMIT_KB });
    if (error.statusCode && error.statusCode < 500) return refuse(request, reply, 400, '400');
    request.log.error({ err: error }, 'dashboard request failed');
    return refuse(request, reply, 500, '500');
  });
}
