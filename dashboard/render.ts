/**
 * Rendering a page: the view, wrapped in the layout, with what every page needs (the
 * language, the user and their menu, a CSRF token for forms, the CSP nonce, a flash message).
 */
import { safePath } from './safe-path.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type Role } from '../runner/access/users.ts';
import type { MessageKey } from './i18n/index.ts';

const MENU: { href: string; key: MessageKey; role: Role }[] = [
  { href: '/staff', key: 'nav.staff', role: 'staff' },
  { href: '/tasks', key: 'nav.tasks', role: 'staff' },
  { href: '/batches', key: 'nav.batches', role: 'staff' },
  { href: '/ops', key: 'nav.ops', role: 'ops' },
  { href: '/overview', key: 'nav.overview', role: 'ops' },
  { href: '/audit', key: 'nav.audit', role: 'admin' },
  { href: '/users', key: 'nav.users', role: 'admin' },
  { href: '/alerts', key: 'nav.alerts', role: 'admin' },
];

const TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });

/** `2026-03-01 14:05:09`, in Asia/Shanghai like every Ferry day. */
export function formatTime(at: number | string): string {
  return TIME.format(new Date(at));
}

/** Renders `view` (a file in `views/`) inside the layout. */
export function page(request: FastifyRequest, reply: FastifyReply, view: string, data: { title: string } & Record<string, unknown>, status = 200) {
  const flash = request.session.flash;
  if (flash) delete request.session.flash;
  const path = request.url.split('?')[0];
  const menu = request.user
    ? MENU.filter((item) => roleAtLeast(request.user!.role, item.role)).map((item) => ({ ...item, active: path.startsWith(item.href) }))
    : [];
  return reply.code(status).view(view, {
    ...data,
    t: request.t,
    lang: request.language,
    user: request.user,
    menu,
    waitingTasks: request.waitingTasks ?? 0,
    flash,
    back: safePath(request.url) ?? '/',
    csrf: reply.generateCsrf(),
    nonce: reply.cspNonce.script,
    time: formatTime,
  });
}

/** Keeps a message for the next page the session sees (after a redirect). */
export function flash(request: FastifyRequest, message: string): void {
  request.session.flash = message;
}
