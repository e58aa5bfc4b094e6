/**
 * Log-in, log-out and the language toggle. Failed log-ins are limited per user name and
 * client address; a log-in starts a fresh session (no fixation) and is audited either way.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../runner/access/users.ts';
import type { DashboardContext } from '../context.ts';
import { formBody } from '../form-body.ts';
import { LoginThrottle, LOGIN_WINDOW_MINUTES } from '../login-throttle.ts';
import { refuse } from '../access.ts';
import { page } from '../render.ts';
import { safePath } from '../safe-path.ts';

const HOME: Record<Role, string> = { staff: '/staff', ops: '/ops', admin: '/overview' };
const YEAR_SECONDS = 365 * 86_400;

function field(request: FastifyRequest, name: string): string {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

export function registerAuth(app: FastifyInstance, ctx: DashboardContext): void {
  const loginPage = (request: FastifyRequest, values: { username?: string; next?: string; error?: string }) => ({
    title: request.t('login.title'), minutes: ctx.idleMinutes, username: values.username ?? '', next: values.next ?? '', error: values.error,
  });

  app.get('/', { config: { access: 'staff' } }, (request, reply) => reply.redirect(HOME[request.user!.role], 303));

  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    const next = safePath((request.query as Record<string, unknown>).next);
    if (request.session.user && (await ctx.users.get(request.session.user))) return reply.redirect(next ?? '/', 303);
    return page(request, reply, 'login.eta', loginPage(request, { next }));
  });

  const throttle = new LoginThrottle(ctx.runtime.redis, ctx.runtime.keys.rateLimitPrefix());

  app.post('/login', {
    config: { access: 'public' },
    schema: { body: formBody({ username: 200, password: 1000, next: 2000 }) },
  }, async (request, reply) => {
    const username = field(request, 'username').trim().toLowerCase();
    const next = safePath(field(request, 'next'));
    const who = username.slice(0, 64) || '-';
    if (await throttle.blocked(username, request.ip)) {
      await ctx.audit.record({ who, ip: request.ip, action: 'login', outcome: 'denied', detail: 'too many failed attempts' });
      return refuse(request, reply, 429, '429', { minutes: LOGIN_WINDOW_MINUTES });
    }
    const user = await ctx.users.verify(username, field(request, 'password'));
    if (!user) {
      await throttle.failed(username, request.ip);
      await ctx.audit.record({ who, ip: request.ip, action: 'login', outcome: 'failed', detail: 'wrong user name or password' });
      return page(request, reply, 'login.eta', loginPage(request, { username, next, error: request.t('login.wrong') }), 401);
    }
    await request.session.regenerate();
    request.session.user = user.name;
    await ctx.audit.record({ who: user.name, ip: request.ip, action: 'login', outcome: 'ok', detail: user.role });
    return reply.redirect(next ?? HOME[user.role], 303);
  });

  app.post('/logout', { config: { access: 'staff' }, schema: { body: formBody({}) } }, async (request, reply) => {
    await ctx.audit.record({ who: request.user!.name, ip: request.ip, action: 'logout', outcome: 'ok' });
    await request.session.destroy();
    return reply.redirect('/login', 303);
  });

  app.post('/lang', { config: { access: 'public' }, schema: { body: formBody({ lang: 8, back: 2000 }) } }, (request, reply) => {
    const language = field(request, 'lang') === 'en' ? 'en' : 'zh';
    reply.setCookie('lang', language, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: YEAR_SECONDS });
    return reply.redirect(safePath(field(request, 'back')) ?? '/', 303);
  });
}
