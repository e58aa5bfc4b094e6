/**
 * The overview for ops and admins: per recipe its four-colour status, success rates, a
 * 30-day chart, records moved and hours saved, and screens a canary found changed; totals;
 * queue, workers and schedules; a bot whose circuit is paused or open, with "resume". Also as
 * JSON at `/api/overview`.
 */
import type { FastifyInstance } from 'fastify';
import { rateChart } from '../chart.ts';
import type { DashboardContext } from '../context.ts';
import { loadOverview, PERIODS } from '../overview-data.ts';
import { flash, page } from '../render.ts';
import { formBody } from '../form-body.ts';
import { CanaryStore } from '../../runner/canary/canary-store.ts';

export function registerOverview(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/overview', { config: { access: 'ops' } }, async (request, reply) => {
    const overview = await loadOverview(ctx);
    const label = request.t('overview.chart');
    return page(request, reply, 'overview.eta', {
      title: request.t('overview.title'), overview, periods: PERIODS,
      charts: Object.fromEntries(overview.recipes.map((recipe) => [recipe.id, rateChart(recipe.series, `${recipe.title}: ${label}`)])),
      recipeTitles: Object.fromEntries(ctx.runtime.recipes.all().map((recipe) => [recipe.id, recipe.title])),
    });
  });

  app.get('/api/overview', { config: { access: 'ops' } }, () => loadOverview(ctx));

  // Ops let a paused bot log in again (after fixing what refused it); audited.
  app.post<{ Params: { bot: string } }>('/overview/bots/:bot/resume', { config: { access: 'ops' }, schema: { body: formBody({}) } }, async (request, reply) => {
    const bot = request.params.bot;
    if (!ctx.runtime.recipes.botIds().includes(bot)) return reply.callNotFound();
    const resumed = await ctx.runtime.circuits.resume(bot);
    await ctx.audit.record({ who: request.user!.name, ip: request.ip, action: 'bot-resume', target: bot, outcome: 'ok', detail: resumed ? 'resumed' : 'was not paused' });
    flash(request, request.t('overview.resumed'));
    return reply.redirect('/overview', 303);
  });

  // The crop of a drifted locator's likely replacement, from the bot's last canary report.
  app.get<{ Params: { bot: string; problem: string } }>('/overview/canary/:bot/:problem.png', { config: { access: 'ops' } }, async (request, reply) => {
    const report = await new CanaryStore(ctx.runtime.redis, ctx.runtime.keys).report(request.params.bot);
    const crop = report?.problems[Number(request.params.problem)]?.suggestions[0]?.crop;
    if (!crop) return reply.code(404).send();
    return reply.type('image/png').header('cache-control', 'no-store').send(Buffer.from(crop, 'base64'));
  });
}
