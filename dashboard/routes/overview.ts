/**
 * The overview for ops and admins: per recipe its four-colour status, success rates, a
 * 30-day chart, records moved and hours saved, and screens a canary found changed; totals;
 * queue, workers and schedules. Also as JSON at `/api/overview`.
 */
import type { FastifyInstance } from 'fastify';
import { rateChart } from '../chart.ts';
import type { DashboardContext } from '../context.ts';
import { loadOverview, PERIODS } from '../overview-data.ts';
import { page } from '../render.ts';
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

  // The crop of a drifted locator's likely replacement, from the bot's last canary report.
  app.get<{ Params: { bot: string; problem: string } }>('/overview/canary/:bot/:problem.png', { config: { access: 'ops' } }, async (request, reply) => {
    const report = await new CanaryStore(ctx.runtime.redis, ctx.runtime.keys).report(request.params.bot);
    const crop = report?.problems[Number(request.params.problem)]?.suggestions[0]?.crop;
    if (!crop) return reply.code(404).send();
    return reply.type('image/png').header('cache-control', 'no-store').send(Buffer.from(crop, 'base64'));
  });
}
