/**
 * The staff page: pick a matter by its title, enter the case number, run. The run page
 * follows the steps live (polling `/api/runs/:id`) and ends with the receipt or the
 * reason; a question the run asks the clerk is answered right there. A second press on
 * the same case lands on the existing run.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Recipe } from '../../runner/define/recipe.ts';
import { InputError } from '../../runner/errors.ts';
import { soleInputField } from '../../runner/run/ops-actions.ts';
import { runJobId } from '../../runner/run/key.ts';
import { checkInput, triggerRun } from '../../runner/run/trigger.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import { roleAtLeast } from '../../runner/access/users.ts';
import type { DashboardContext } from '../context.ts';
import { page } from '../render.ts';
import { loadRunView, recipeTitle, type RunView } from '../run-view.ts';
import { formBody } from '../form-body.ts';
import { mayAnswer } from '../../runner/ask/task-desk.ts';
import { answererOf, questionView } from './tasks.ts';

/** Staff see their own runs and those they pressed run for; ops and admins see all. */
export function canSee(request: FastifyRequest, view: RunView): boolean {
  const user = request.user!;
  return roleAtLeast(user.role, 'ops') || view.by === triggeredBy.dashboard(user.name) || (request.session.runs ?? []).includes(view.id);
}

function problemsOf(recipe: Recipe, input: unknown): string | null {
  const parsed = recipe.input.safeParse(input);
  return parsed.success ? null : parsed.error.issues.map((issue) => issue.message).join('; ');
}

export function registerStaff(app: FastifyInstance, ctx: DashboardContext): void {
  const recipes = () => ctx.runtime.recipes.all().filter((recipe) => soleInputField(recipe));

  const staffPage = async (request: FastifyRequest, reply: FastifyReply, values: { recipe?: string; key?: string; confirm?: boolean; error?: string } = {}, status = 200) => {
    const runs = await ctx.runtime.history.list({ by: triggeredBy.dashboard(request.user!.name) }, 20);
    return page(request, reply, 'staff.eta', {
      title: request.t('staff.title'),
      recipes: recipes().map((recipe) => ({ id: recipe.id, title: recipe.title, confirm: recipe.confirm === 'trigger' })),
      runs: runs.map((run) => ({ ...run, recipeTitle: recipeTitle(ctx, run.recipe) })),
      selected: values.recipe ?? recipes()[0]?.id, key: values.key ?? '', confirm: values.confirm, error: values.error,
    }, status);
  };

  app.get('/staff', { config: { access: 'staff' } }, (request, reply) => staffPage(request, reply));

  app.post('/staff/runs', { config: { access: 'staff' }, schema: { body: formBody({ recipe: 200, key: 200, confirm: 1 }) } }, async (request, reply) => {
    const body = request.body as { recipe?: string; key?: string; confirm?: string };
    const values = { recipe: body.recipe ?? '', key: (body.key ?? '').trim(), confirm: body.confirm === '1' };
    const recipe = recipes().find((candidate) => candidate.id === values.recipe);
    const user = request.user!;
    const refuse = async (error: string) => {
      await ctx.audit.record({ who: user.name, ip: request.ip, action: 'trigger', target: values.recipe, outcome: 'failed', detail: `${values.key}: ${error}` });
      return staffPage(request, reply, { ...values, error }, 422);
    };
    if (!recipe) return refuse(request.t('staff.noRecipe'));
    if (!values.key) return refuse(request.t('staff.emptyKey'));
    const input = { [soleInputField(recipe)!]: values.key };
    const problems = problemsOf(recipe, input);
    if (problems) return refuse(problems);
    const options = {
      trigger: { via: 'staff' as const, by: triggeredBy.dashboard(user.name) }, hash: (value: string) => ctx.runtime.secrets.keyedHash(value),
      attempts: ctx.runtime.config.attempts, confirm: values.confirm,
    };
    let id: string;
    let existing: boolean;
    try {
      id = runJobId(recipe.id, checkInput(recipe, input, options.hash).keyId);
      existing = (await ctx.runtime.queue.getJobState(id)) !== 'unknown';
      await triggerRun(ctx.runtime.queue, recipe, input, options);
    } catch (error) {
      if (error instanceof InputError) return refuse(error.message);
      throw error;
    }
    request.session.runs = [...(request.session.runs ?? []).slice(-49), id];
    await ctx.audit.record({ who: user.name, ip: request.ip, action: 'trigger', target: id, outcome: 'ok', detail: existing ? 'existing run shown' : 'new run' });
    return reply.redirect(`/staff/runs/${encodeURIComponent(id)}${existing ? '?existing=1' : ''}`, 303);
  });

  app.get('/staff/runs/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const view = await loadRunView(ctx, (request.params as { id: string }).id);
    if (!view || !canSee(request, view)) return reply.callNotFound();
    const existing = (request.query as Record<string, string>).existing === '1';
    const task = view.state === 'WAITING_FOR_PERSON' && view.ledger?.task ? await ctx.runtime.tasks.get(view.ledger.task) : null;
    const question = task && mayAnswer(task, answererOf(request)) ? await questionView(ctx, request, task) : null;
    return page(request, reply, 'staff-run.eta', { title: request.t('run.title', { key: view.key }), run: view, existing, question });
  });

  app.get('/api/runs/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const view = await loadRunView(ctx, (request.params as { id: string }).id);
    if (!view || !canSee(request, view)) return reply.code(404).send({ error: '404', message: 'no such run' });
    const { id, recipe, key, state, final, attempt, steps, receipt, reason } = view;
    return { id, recipe, key, state, final, attempt, steps, receipt, reason };
  });
}
