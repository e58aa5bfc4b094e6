/**
 * User management for admins: add (the password typed, or generated and shown once),
 * change a role, reset a password, delete. Admins cannot change or delete themselves,
 * so the last admin cannot lock everyone out. Every change is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditAction } from '../../runner/access/audit.ts';
import { InputError } from '../../runner/errors.ts';
import { generatePassword, ROLES } from '../../runner/access/users.ts';
import type { DashboardContext } from '../context.ts';
import { flash, page } from '../render.ts';
import { formBody } from '../form-body.ts';

export function registerUsers(app: FastifyInstance, ctx: DashboardContext): void {
  const usersPage = async (request: FastifyRequest, reply: FastifyReply, values: { error?: string; created?: { name: string; password: string } } = {}, status = 200) =>
    page(request, reply, 'users.eta', { title: request.t('users.title'), users: await ctx.users.list(), roles: ROLES, ...values }, status);

  /** Runs a change, audits it, and answers with the users page (showing a new password once). */
  const change = async (request: FastifyRequest, reply: FastifyReply, action: AuditAction, target: string, detail: string, run: () => Promise<string | void>) => {
    const who = request.user!.name;
    try {
      if (target === who && action !== 'user-add') throw new InputError(request.t('users.self'));
      const password = await run();
      await ctx.audit.record({ who, ip: request.ip, action, target, outcome: 'ok', detail });
      if (password) return usersPage(request, reply, { created: { name: target, password } });
      flash(request, request.t('users.saved'));
      return reply.redirect('/users', 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await ctx.audit.record({ who, ip: request.ip, action, target, outcome: 'failed', detail: error.message });
      return usersPage(request, reply, { error: error.message }, 422);
    }
  };
  const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, string>;
  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;

  app.get('/users', { config: { access: 'admin' } }, (request, reply) => usersPage(request, reply));

  app.get('/api/users', { config: { access: 'admin' } }, async () => ({ users: await ctx.users.list() }));

  app.post('/users', { config: { access: 'admin' }, schema: { body: formBody({ name: 100, role: 20, password: 1000 }) } }, (request, reply) => {
    const { name = '', role = '', password = '' } = body(request);
    const clean = String(name).trim().toLowerCase();
    return change(request, reply, 'user-add', clean, String(role), async () => {
      const chosen = String(password) || generatePassword();
      await ctx.users.add(clean, String(role), chosen, request.user!.name);
      return password ? undefined : chosen;
    });
  });

  app.post('/users/:name/role', { config: { access: 'admin' }, schema: { body: formBody({ role: 20 }) } }, (request, reply) => {
    const role = String(body(request).role ?? '');
    return change(request, reply, 'user-role', nameOf(request), role, () => ctx.users.setRole(nameOf(request), role));
  });

  app.post('/users/:name/password', { config: { access: 'admin' }, schema: { body: formBody({}) } }, (request, reply) =>
    change(request, reply, 'user-password', nameOf(request), 'reset', async () => {
      const password = generatePassword();
      await ctx.users.setPassword(nameOf(request), password);
      return password;
    }));

  app.post('/users/:name/delete', { config: { access: 'admin' }, schema: { body: formBody({}) } }, (request, reply) =>
    change(request, reply, 'user-remove', nameOf(request), '', () => ctx.users.remove(nameOf(request))));
}
