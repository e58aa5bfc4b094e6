/**
 * The ops list: failed, needs-review and rejected runs, newest first, filtered by recipe,
 * system, reason and day, with a bulk retry of everything the filters show
 * ("all 系统繁忙 failures last night"). Also as JSON at `/api/ops/runs`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DashboardContext } from '../context.ts';
import { applyFilter, attentionRows, commonReasons, type OpsFilter } from '../ops-rows.ts';
import { flash, page } from '../render.ts';
import { formBody } from '../form-body.ts';

function filterOf(source: unknown): OpsFilter {
  const values = (source ?? {}) as Record<string, unknown>;
  const pick = (name: string) => (typeof values[name] === 'string' && values[name] ? String(values[name]).trim().slice(0, 200) : undefined);
  return { recipe: pick('recipe'), system: pick('system'), reason: pick('reason'), day: pick('day') };
}

function queryOf(filter: OpsFilter): string {
  const params = new URLSearchParams(Object.entries(filter).filter(([, value]) => value) as [string, string][]);
  return params.size ? `?${params}` : '';
}

export function registerOps(app: FastifyInstance, ctx: DashboardContext): void {
  const systems = () => {
    const bots = new Map<string, string>();
    for (const recipe of ctx.runtime.recipes.all()) for (const bot of Object.values(recipe.bots)) bots.set(bot.id, bot.title);
    return [...bots].map(([id, title]) => ({ id, title }));
  };
  const filtered = async (request: FastifyRequest) => {
    const filter = filterOf(request.query);
    const all = await attentionRows(ctx);
    return { filter, all, rows: applyFilter(all, filter) };
  };

  app.get('/ops', { config: { access: 'ops' } }, async (request, reply) => {
    const { filter, all, rows } = await filtered(request);
    return page(request, reply, 'ops-list.eta', {
      title: request.t('ops.title'), filter, rows, reasons: commonReasons(all), systems: systems(),
      recipes: ctx.runtime.recipes.all().map((recipe) => ({ id: recipe.id, title: recipe.title })),
      systemTitles: Object.fromEntries(systems().map((system) => [system.id, system.title])),
    });
  });

  app.get('/api/ops/runs', { config: { access: 'ops' } }, async (request) => {
    const { rows } = await filtered(request);
    return { runs: rows };
  });

  app.post('/ops/retry-bulk', { config: { access: 'ops' }, schema: { body: formBody({ recipe: 200, system: 200, reason: 200, day: 200 }) } }, async (request, reply) => {
    const filter = filterOf(request.body);
    const rows = applyFilter(await attentionRows(ctx), filter);
    const note = `bulk retry of ${Object.entries(filter).filter(([, value]) => value).map(([name, value]) => `${name} "${value}"`).join(', ') || 'every run'}`;
    const result = await ctx.ops.retryMany(rows.map((row) => row.id), { name: request.user!.name, ip: request.ip }, note);
    flash(request, request.t('ops.bulkDone', { retried: result.retried.length, skipped: result.skipped.length }));
    return reply.redirect(`/ops${queryOf(filter)}`, 303);
  });
}
