/**
 * One run for ops: the timeline of attempts and steps, the reason, the evidence (the
 * screenshot inline, trace and HTML as downloads, fetched from the evidence store (the
 * data dir or the bucket) and decrypted for the download only; each access audited) and the masked record, with the actions retry, resolve by hand and discard.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { evidenceStoreFor, KEPT_PREFIX } from '../../runner/evidence/evidence-store.ts';
import { maskText } from '../../runner/access/mask.ts';
import { OpsActionError } from '../../runner/run/ops-actions.ts';
import { ATTENTION_STATES } from '../../runner/run/history.ts';
import type { DashboardContext } from '../context.ts';
import { flash, formatTime, page } from '../render.ts';
import { loadRunView, type RunView } from '../run-view.ts';
import { formBody } from '../form-body.ts';

const DOWNLOAD_TYPES: Record<string, string> = {
  png: 'image/png', html: 'application/octet-stream', 'trace.zip': 'application/zip',
  pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain; charset=utf-8', xml: 'application/octet-stream',
};

export function registerOpsRun(app: FastifyInstance, ctx: DashboardContext): void {
  const { config, secrets, log } = ctx.runtime;
  const evidence = evidenceStoreFor(config, secrets, log);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  /** The run's evidence files, only when its folder is one of the store's and still exists; none, with a warning, when the store cannot be read. */
  const evidenceFiles = async (view: RunView): Promise<string[]> => (view.evidence ? evidence.files(view.evidence).catch((error: unknown) => {
    log.warn({ err: error, run: view.id, where: evidence.where }, 'evidence not readable');
    return [];
  }) : []);

  const recordRows = (request: FastifyRequest, view: RunView) => {
    const ledger = (view.ledger ?? {}) as unknown as Record<string, string>;
    const rows: [string, string | undefined][] = [
      [request.t('col.recipe'), view.recipeTitle],
      [request.t('col.key'), view.key],
      [request.t('detail.trigger'), `${view.via} · ${view.by}`],
      [request.t('detail.created'), formatTime(view.createdAt)],
      [request.t('col.updated'), formatTime(view.updatedAt)],
      [request.t('detail.ledger'), ledger.state && request.t(`state.${ledger.state}` as never)],
      [request.t('run.receipt'), ledger.receipt || view.receipt],
      [request.t('detail.resolvedBy'), ledger.resolvedBy], [request.t('detail.discardedBy'), ledger.discardedBy], [request.t('detail.note'), ledger.note],
    ];
    return rows.filter(([, value]) => value).map(([label, value]) => [label, maskText(value!)]);
  };

  app.get('/ops/runs/:id', { config: { access: 'ops' } }, async (request, reply) => {
    const view = await loadRunView(ctx, idOf(request));
    if (!view) return reply.callNotFound();
    const files = await evidenceFiles(view);
    return page(request, reply, 'ops-run.eta', {
      title: request.t('detail.title', { key: view.key }), run: view, record: recordRows(request, view),
      actionable: ATTENTION_STATES.includes(view.state as never) || view.state === 'WAITING_FOR_PERSON',
      documents: files.filter((file) => file.startsWith(KEPT_PREFIX)).map((file) => ({ file, name: file.slice(KEPT_PREFIX.length) })),
      evidence: files.filter((file) => file.endsWith('.png') && !file.startsWith(KEPT_PREFIX)).map((png) => {
        const bot = png.replace(/\.png$/, '');
        return { bot, html: files.includes(`${bot}.html`), trace: files.includes(`${bot}.trace.zip`) };
      }),
    });
  });

  app.get('/ops/runs/:id/evidence/:file', { config: { access: 'ops' } }, async (request, reply) => {
    const { id, file } = request.params as { id: string; file: string };
    const view = await loadRunView(ctx, id);
    const content = view?.evidence ? await evidence.read(view.evidence, file) : null;
    await ctx.audit.record({ who: request.user!.name, ip: request.ip, action: 'evidence-view', target: `${id}/${file}`, outcome: content ? 'ok' : 'failed' });
    if (!content) return reply.callNotFound();
    const kind = file.startsWith(KEPT_PREFIX) ? file.slice(file.lastIndexOf('.') + 1) : file.slice(file.indexOf('.') + 1);
    reply.header('cache-control', 'no-store').type(DOWNLOAD_TYPES[kind]);
    if (kind !== 'png' || file.startsWith(KEPT_PREFIX)) reply.header('content-disposition', `attachment; filename="${id}-${file}"`);
    return reply.send(content);
  });

  const act = (name: 'retry' | 'resolve' | 'discard', fields: Record<string, number>, run: (id: string, body: Record<string, string>, actor: { name: string; ip: string }) => Promise<void>) => {
    app.post(`/ops/runs/:id/${name}`, { config: { access: 'ops' }, schema: { body: formBody(fields) } }, async (request, reply) => {
      const id = idOf(request);
      try {
        await run(id, (request.body ?? {}) as Record<string, string>, { name: request.user!.name, ip: request.ip });
        flash(request, request.t(`action.done.${name}`));
      } catch (error) {
        if (!(error instanceof OpsActionError)) throw error;
        flash(request, error.message);
      }
      return reply.redirect(`/ops/runs/${encodeURIComponent(id)}`, 303);
    });
  };
  act('retry', {}, (id, _body, actor) => ctx.ops.retry(id, actor));
  act('resolve', { receipt: 200 }, (id, body, actor) => ctx.ops.resolve(id, String(body.receipt ?? ''), actor));
  act('discard', { note: 1000 }, (id, body, actor) => ctx.ops.discard(id, String(body.note ?? ''), actor));
}
