/** The audit log for admins: newest first, fifty at a time, filterable by user and action. */
import type { FastifyInstance } from 'fastify';
import { AUDIT_ACTIONS, type AuditEntry } from '../../runner/access/audit.ts';
import type { DashboardContext } from '../context.ts';
import { page } from '../render.ts';

const PAGE = 50;

export function registerAudit(app: FastifyInstance, ctx: DashboardContext): void {
  /** Up to a page of entries matching the filters (reading back at most ten pages) and where the next page starts. */
  const entries = async (query: Record<string, string>) => {
    const matches = (entry: AuditEntry) => (!query.who || entry.who === query.who) && (!query.action || entry.action === query.action);
    const found: AuditEntry[] = [];
    let before = /^\d+-\d+$/.test(query.before ?? '') ? query.before : undefined;
    for (let round = 0; round < 10 && found.length < PAGE; round++) {
      const batch = await ctx.audit.list({ limit: PAGE, before });
      found.push(...batch.filter(matches));
      if (batch.length < PAGE) return { found: found.slice(0, PAGE), next: null };
      before = batch.at(-1)!.id;
    }
    return { found: found.slice(0, PAGE), next: found.length >= PAGE ? found[PAGE - 1].id : before! };
  };

  app.get('/audit', { config: { access: 'admin' } }, async (request, reply) => {
    const query = request.query as Record<string, string>;
    const { found, next } = await entries(query);
    const older = next ? `?${new URLSearchParams({ ...(query.who ? { who: query.who } : {}), ...(query.action ? { action: query.action } : {}), before: next })}` : null;
    return page(request, reply, 'audit.eta', { title: request.t('audit.title'), entries: found, actions: AUDIT_ACTIONS, who: query.who ?? '', action: query.action ?? '', older, paged: Boolean(query.before) });
  });

  app.get('/api/audit', { config: { access: 'admin' } }, async (request) => ({ entries: (await entries(request.query as Record<string, string>)).found }));
}
