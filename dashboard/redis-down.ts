/**
 * The dashboard while Redis is away: pages and the JSON API answer 503 in the visitor's
 * language within seconds, instead of waiting on commands that ioredis holds until Redis is
 * back. A request that arrives while the connection is down is refused at once; one still
 * unanswered after {@link REDIS_WAIT_MS} gets the 503 unless Redis answers a PING within a
 * second (so a slow page on a healthy Redis still finishes).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { wantsJson } from './access.ts';
import { pickLanguage, translator } from './i18n/index.ts';

/** How long a request runs before the guard asks whether Redis is still there. */
export const REDIS_WAIT_MS = 3500;
/** How long Redis then has to answer a PING. */
const PING_PATIENCE_MS = 1000;
const RETRY_AFTER_SECONDS = 5;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function unavailable(request: FastifyRequest, reply: FastifyReply) {
  const language = pickLanguage(request.cookies?.lang, request.headers['accept-language']);
  const t = translator(language);
  reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).header('cache-control', 'no-store');
  if (wantsJson(request)) return reply.send({ error: 'redis-unavailable', message: t('error.503.body') });
  const title = escapeHtml(t('error.503.title'));
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="${language === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${escapeHtml(t('app.name'))}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><section class="card narrow"><h1>${title}</h1><p>${escapeHtml(t('error.503.body'))}</p>
<p><a href="">${escapeHtml(t('error.503.retry'))}</a></p></section></main></body>
</html>`);
}

/**
 * True when Redis is connected and answers a PING within a second (not frozen, not cut off).
 * The verdict waits one more turn of the event loop, so a reply that arrived while the
 * process was busy is read before the timeout counts.
 */
async function answersSoon(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => setImmediate(() => resolve(false)), PING_PATIENCE_MS));
  return Promise.race([redis.ping().then(() => true, () => false), timeout]);
}

/** Registers the 503 guard; call it before any plugin that reads Redis on each request (sessions). */
export function registerRedisDown(app: FastifyInstance, redis: Redis): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/static/')) return;
    if (redis.status !== 'ready') return unavailable(request, reply);
    const timer = setTimeout(async () => {
      if (!reply.sent && !(await answersSoon(redis)) && !reply.sent) void unavailable(request, reply);
    }, REDIS_WAIT_MS);
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
