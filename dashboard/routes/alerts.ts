/**
 * Alerting for admins: the channels (kind, id and where they go; never a URL's key or a
 * secret), adding and removing one, "send test", each rule on or off with its channels,
 * re-notify interval and threshold, and what is firing now. Changes go through `AlertAdmin`,
 * which checks and audits them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALERT_RULES, type AlertRule } from '../../runner/alerts/alert.ts';
import { AlertAdmin } from '../../runner/alerts/alert-admin.ts';
import { AlertBook } from '../../runner/alerts/alert-book.ts';
import { CHANNEL_KINDS } from '../../runner/alerts/channels.ts';
import { InputError } from '../../runner/errors.ts';
import type { DashboardContext } from '../context.ts';
import { flash, page } from '../render.ts';
import { formBody } from '../form-body.ts';

type Body = Record<string, string | undefined>;

/** The channel settings a form describes, by its kind (empty fields left out, so the schema names what is missing). */
function settingsOf(body: Body): Record<string, unknown> {
  const kind = body.kind ?? '';
  const given = (name: string) => (body[name]?.trim() ? { [name]: body[name]!.trim() } : {});
  if (kind === 'email') return { kind, ...given('smtp'), ...given('from'), to: (body.to ?? '').split(/[,\s]+/).filter(Boolean) };
  return { kind, ...given('url'), ...(kind === 'dingtalk' ? given('secret') : {}) };
}

/** The rule change a rule's form describes: its check box, channels, minutes, and for sync deadlines `doneBy_<recipe>` fields. */
function ruleChangeOf(rule: AlertRule, body: Body) {
  const number = (name: string) => (body[name]?.trim() ? Number(body[name]) : undefined);
  const doneBy = Object.fromEntries(Object.entries(body).filter(([name, value]) => name.startsWith('doneBy_') && value?.trim()).map(([name, value]) => [name.slice(7), value!.trim()]));
  return {
    enabled: body.enabled === 'on',
    channels: (body.channels ?? '').split(/[,\s]+/).filter(Boolean),
    ...(number('renotifyMinutes') !== undefined ? { renotifyMinutes: number('renotifyMinutes') } : {}),
    ...(rule === 'oldest-waiting' && number('minutes') !== undefined ? { minutes: number('minutes') } : {}),
    ...(rule === 'sync-deadline' ? { doneBy } : {}),
  };
}

export function registerAlerts(app: FastifyInstance, ctx: DashboardContext): void {
  const admin = new AlertAdmin(ctx.runtime, ctx.audit);
  const alertsPage = async (request: FastifyRequest, reply: FastifyReply, error?: string) => page(request, reply, 'alerts.eta', {
    title: request.t('alerts.title'), error, kinds: CHANNEL_KINDS, rules: ALERT_RULES,
    channels: await ctx.runtime.alerts.channels(), settings: await ctx.runtime.alerts.rules(),
    firing: await new AlertBook(ctx.runtime.redis, ctx.runtime.keys).firing(),
    scheduled: ctx.runtime.recipes.all().filter((recipe) => recipe.schedule).map((recipe) => ({ id: recipe.id, title: recipe.title })),
  }, error ? 422 : 200);
  /** Runs a change; a refusal shows the page again with the reason. */
  const change = async (request: FastifyRequest, reply: FastifyReply, act: () => Promise<string>) => {
    try {
      flash(request, await act());
      return reply.redirect('/alerts', 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return alertsPage(request, reply, error.message);
    }
  };
  const who = (request: FastifyRequest) => ({ name: request.user!.name, ip: request.ip });
  const idOf = (request: FastifyRequest) => (request.params as { name: string }).name;

  app.get('/alerts', { config: { access: 'admin' } }, (request, reply) => alertsPage(request, reply));

  app.post('/alerts/channels', { config: { access: 'admin' }, schema: { body: formBody({ id: 40, kind: 20, url: 2000, secret: 200, smtp: 2000, from: 200, to: 2000 }) } }, (request, reply) =>
    change(request, reply, async () => {
      const body = request.body as Body;
      await admin.setChannel(who(request), (body.id ?? '').trim(), settingsOf(body));
      return request.t('alerts.saved');
    }));

  app.post('/alerts/channels/:name/test', { config: { access: 'admin' }, schema: { body: formBody({}) } }, (request, reply) =>
    change(request, reply, async () => {
      const refusal = await admin.test(who(request), idOf(request));
      if (refusal) throw new InputError(request.t('alerts.testFailed', { reason: refusal }));
      return request.t('alerts.testSent');
    }));

  app.post('/alerts/channels/:name/remove', { config: { access: 'admin' }, schema: { body: formBody({}) } }, (request, reply) =>
    change(request, reply, async () => {
      await admin.removeChannel(who(request), idOf(request));
      return request.t('alerts.saved');
    }));

  const ruleBody = formBody({ enabled: 10, channels: 900, renotifyMinutes: 10, minutes: 10 }, { '^doneBy_[a-z][a-z0-9-]{0,99}$': 10 });
  app.post('/alerts/rules/:rule', { config: { access: 'admin' }, schema: { body: ruleBody } }, (request, reply) =>
    change(request, reply, async () => {
      const rule = (request.params as { rule: string }).rule as AlertRule;
      if (!ALERT_RULES.includes(rule)) throw new InputError(`No alert rule "${rule}".`);
      await admin.updateRule(who(request), rule, ruleChangeOf(rule, request.body as Body));
      return request.t('alerts.saved');
    }));
}
