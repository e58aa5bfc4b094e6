/**
 * The batch pages: upload an .xlsx or .csv for one recipe, see every bad row with its reason
 * before anything is queued, queue the good rows, follow them (polling `/api/batches/:id`),
 * and download the recipe's template and the batch's result workbook. A batch is shown only
 * to its uploader and to ops and admins; to anyone else it does not exist (404).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Recipe } from '../../runner/define/recipe.ts';
import { InputError } from '../../runner/errors.ts';
import { BatchFileError } from '../../runner/batch/batch-file.ts';
import { BatchNotFoundError } from '../../runner/batch/batch-desk.ts';
import { columnsOf } from '../../runner/batch/columns.ts';
import { batchActorOf, batchView, countsOf, SHOWN_ROWS, uploaderOf } from '../batch-view.ts';
import type { DashboardContext } from '../context.ts';
import { sendWorkbook } from '../download.ts';
import { formBody } from '../form-body.ts';
import { flash, page } from '../render.ts';
import { recipeTitle } from '../run-view.ts';
import { readUpload, type UploadBody } from '../upload-body.ts';

/** The recipe's batch columns' titles; none for a recipe whose input is not one row of a sheet. */
function columnTitles(recipe: Recipe): string[] {
  try {
    return columnsOf(recipe).map((column) => column.title);
  } catch (error) {
    if (error instanceof BatchFileError) return [];
    throw error;
  }
}

/** The batch's value, or null when it is not there for this person (someone else's, or no such batch). */
async function visible<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof BatchNotFoundError) return null;
    throw error;
  }
}

const id = (request: FastifyRequest) => (request.params as { id: string }).id;

export function registerBatches(app: FastifyInstance, ctx: DashboardContext): void {
  const desk = ctx.batches;
  const limits = ctx.runtime.config.batchLimits;
  const recipes = () => ctx.runtime.recipes.all().map((recipe) => ({ id: recipe.id, title: recipe.title, columns: columnTitles(recipe) }))
    .filter((recipe) => recipe.columns.length > 0);

  const uploadPage = async (request: FastifyRequest, reply: FastifyReply, values: { recipe?: string; error?: string } = {}, status = 200) => {
    const batches = await desk.list(batchActorOf(request));
    return page(request, reply, 'batches.eta', {
      title: request.t('batches.title'), recipes: recipes(), selected: values.recipe, error: values.error,
      limits: { rows: limits.maxRows, mb: Math.floor(limits.maxBytes / 1_048_576) },
      batches: batches.map((batch) => ({ ...batch, recipeTitle: recipeTitle(ctx, batch.recipe), uploader: uploaderOf(batch) })),
    }, status);
  };

  app.get('/batches', { config: { access: 'staff' } }, (request, reply) => uploadPage(request, reply));

  app.post('/batches', { config: { access: 'staff' }, preValidation: readUpload }, async (request, reply) => {
    const { fields, file } = request.body as UploadBody;
    const recipe = recipes().find((candidate) => candidate.id === fields.recipe);
    const refuse = (error: string) => uploadPage(request, reply, { recipe: recipe?.id, error }, 422);
    if (!recipe) return refuse(request.t('batches.noRecipe'));
    if (!file?.fileName) return refuse(request.t('batches.noFile'));
    const actor = batchActorOf(request);
    if (file.cut || file.bytes.length > limits.maxBytes) {
      await ctx.audit.record({ who: actor.name, ip: actor.ip, action: 'batch-upload', target: recipe.id, outcome: 'failed', detail: `${file.fileName.slice(0, 120)}: over the size limit` });
      return refuse(request.t('batches.tooBig', { mb: Math.floor(limits.maxBytes / 1_048_576) }));
    }
    try {
      const batch = await desk.upload({ recipe: recipe.id, fileName: file.fileName, bytes: file.bytes, source: 'dashboard' }, actor);
      return reply.redirect(`/batches/${encodeURIComponent(batch.id)}`, 303);
    } catch (error) {
      if (error instanceof BatchFileError || error instanceof InputError) return refuse(error.message);
      throw error;
    }
  });

  app.get('/batches/template/:recipe', { config: { access: 'staff' } }, async (request, reply) => {
    const recipe = recipes().find((candidate) => candidate.id === (request.params as { recipe: string }).recipe);
    if (!recipe) return reply.callNotFound();
    return sendWorkbook(reply, await desk.template(recipe.id));
  });

  app.get('/batches/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const actor = batchActorOf(request);
    const found = await visible(desk.progress(id(request), actor));
    if (!found) return reply.callNotFound();
    return page(request, reply, 'batch.eta', {
      title: found.batch.fileName, batch: batchView(found.batch, found.progress), recipeTitle: recipeTitle(ctx, found.batch.recipe),
      shownRows: SHOWN_ROWS, ops: actor.seesAll,
    });
  });

  app.post('/batches/:id/queue', { config: { access: 'staff' }, schema: { body: formBody({}) } }, async (request, reply) => {
    const batch = await visible(desk.queue(id(request), batchActorOf(request)));
    if (!batch) return reply.callNotFound();
    flash(request, request.t('batch.queued', { n: batch.good.length }));
    return reply.redirect(`/batches/${encodeURIComponent(batch.id)}`, 303);
  });

  app.get('/batches/:id/result', { config: { access: 'staff' } }, async (request, reply) => {
    const result = await visible(desk.result(id(request), batchActorOf(request)));
    if (!result) return reply.callNotFound();
    return sendWorkbook(reply, result);
  });

  app.get('/api/batches/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const found = await visible(desk.progress(id(request), batchActorOf(request)));
    if (!found) return reply.callNotFound();
    const { batch, progress } = found;
    return { id: batch.id, recipe: batch.recipe, state: batch.state, rows: batch.rows, good: batch.good.length, bad: batch.bad.length, counts: countsOf(progress), settled: progress.settled };
  });
}
