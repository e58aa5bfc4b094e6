/**
 * The task inbox: questions runs put to people. A clerk sees the questions of the runs they
 * triggered; ops see every open question, those sent to ops (or escalated) first. Each
 * question is answered on its page or inline on the clerk's run page; roles are checked
 * here, on the server, for the list, the page, the image and the answer alike. The header
 * shows how many questions wait for the signed-in user.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { confirmationAnswer } from '../../runner/ask/answer-check.ts';
import { questionOfTask } from '../../runner/ask/asker.ts';
import { mayAnswer, TaskAnswerError, taskDeskOf, type Answerer } from '../../runner/ask/task-desk.ts';
import type { Task } from '../../runner/ask/task-store.ts';
import { roleAtLeast } from '../../runner/access/users.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import type { DashboardContext } from '../context.ts';
import { flash, page } from '../render.ts';
import { formBody } from '../form-body.ts';
import { recipeTitle } from '../run-view.ts';

/** The signed-in user as someone who answers tasks. */
export function answererOf(request: FastifyRequest): Answerer {
  const user = request.user!;
  return { name: user.name, identity: triggeredBy.dashboard(user.name), ops: roleAtLeast(user.role, 'ops'), ip: request.ip };
}

/** True when the task waits on this person in particular: theirs, or (for ops) sent to ops. */
function waitsOn(task: Task, who: Answerer): boolean {
  return task.assignee === who.identity || (who.ops && (task.assignee === 'ops' || task.escalated));
}

/** What the question form shows: the question, its details (unsealed) and why the last answer was refused. */
export async function questionView(ctx: DashboardContext, request: FastifyRequest, task: Task) {
  const question = questionOfTask(ctx.runtime.recipes, task);
  const refused = request.session.answerError?.task === task.id ? request.session.answerError : undefined;
  delete request.session.answerError;
  return {
    ...task, ...(await ctx.runtime.tasks.details(task)), recipeTitle: recipeTitle(ctx, task.recipe),
    prompt: question ? question.prompt[request.language] : task.question, error: refused?.message,
  };
}

/** The answer a question form gave: its value, or for a confirmation `yes` with corrections, the fields the clerk changed. */
async function formAnswer(ctx: DashboardContext, task: Task, body: Record<string, string | undefined>): Promise<string> {
  if (task.kind !== 'confirm' || body.value !== 'yes') return body.value ?? '';
  const fixes = Object.fromEntries(Object.entries(body).filter(([name]) => name.startsWith('fix_')).map(([name, value]) => [name.slice(4), value]));
  return confirmationAnswer((await ctx.runtime.tasks.details(task)).rows ?? [], fixes);
}

export function registerTasks(app: FastifyInstance, ctx: DashboardContext): void {
  const desk = taskDeskOf(ctx.runtime, ctx.audit);
  const visibleTask = async (request: FastifyRequest): Promise<Task | null> => {
    const task = await ctx.runtime.tasks.get((request.params as { id: string }).id);
    return task && mayAnswer(task, answererOf(request)) ? task : null;
  };

  app.addHook('preHandler', async (request) => {
    if (!request.user || request.method !== 'GET' || request.url.startsWith('/api/') || request.url.startsWith('/static/')) return;
    const who = answererOf(request);
    request.waitingTasks = (await ctx.runtime.tasks.listOpen()).filter((task) => waitsOn(task, who)).length;
  });

  app.get('/tasks', { config: { access: 'staff' } }, async (request, reply) => {
    const who = answererOf(request);
    const open = (await ctx.runtime.tasks.listOpen()).filter((task) => mayAnswer(task, who));
    open.sort((a, b) => Number(waitsOn(b, who)) - Number(waitsOn(a, who)) || a.createdAt - b.createdAt);
    const rows = open.map((task) => {
      const question = questionOfTask(ctx.runtime.recipes, task);
      return { ...task, recipeTitle: recipeTitle(ctx, task.recipe), prompt: question?.prompt[request.language] ?? task.question, mine: waitsOn(task, who) };
    });
    return page(request, reply, 'tasks.eta', { title: request.t('tasks.title'), rows });
  });

  app.get('/tasks/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const task = await visibleTask(request);
    if (!task) return reply.callNotFound();
    return page(request, reply, 'task.eta', { title: request.t('tasks.one'), task: await questionView(ctx, request, task), back: 'inbox' });
  });

  app.get('/tasks/:id/image', { config: { access: 'staff' } }, async (request, reply) => {
    const task = await visibleTask(request);
    const image = task?.hasImage ? await ctx.runtime.tasks.image(task.id) : null;
    if (!task || !image) return reply.callNotFound();
    return reply.header('cache-control', 'no-store').type('image/png').send(image);
  });

  // A confirmation's correctable lines come as `fix_<field>`, prefilled with what will be entered.
  const answerBody = formBody({ value: 400, back: 10 }, { '^fix_[a-zA-Z][a-zA-Z0-9]{0,39}$': 200 });
  app.post('/tasks/:id/answer', { config: { access: 'staff' }, schema: { body: answerBody } }, async (request, reply: FastifyReply) => {
    const id = (request.params as { id: string }).id;
    const body = request.body as { value?: string; back?: string } & Record<string, string | undefined>;
    const task = await visibleTask(request);
    if (!task) return reply.callNotFound();
    const to = body.back === 'run' ? `/staff/runs/${encodeURIComponent(task.run)}` : `/tasks/${encodeURIComponent(id)}`;
    try {
      await desk.answer(id, await formAnswer(ctx, task, body), answererOf(request));
    } catch (error) {
      if (!(error instanceof TaskAnswerError)) throw error;
      // The refused value is not kept: it may be an ID number, and sessions are not sealed.
      request.session.answerError = { task: id, message: error.message };
      return reply.redirect(to, 303);
    }
    flash(request, request.t('tasks.answered'));
    return reply.redirect(body.back === 'run' ? to : '/tasks', 303);
  });
}
