/**
 * A tiny system for tests of what a bot declares about its browser: a log-in form with a
 * session cookie, a page that shows what the browser sent, a logout that happens in place
 * (a 200 page saying 会话已超时 at the same URL), optional HTTP Basic auth in front of it
 * all, and a page that opens a popup window. Fixed pages on a local server.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import type { Account } from '../../runner/access/secrets.ts';

export const PROBE_ACCOUNT: Account = { username: 'clerk', password: 'probe-pass' };

/** A running probe system. */
export interface ProbeSystem {
  url: string;
  /** Logs every session out: the next page shows 会话已超时 in place. */
  expireSessions(): void;
}

const page = (title: string, body: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

function basicUser(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : null;
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return new URLSearchParams(text);
}

/** Starts a probe system for the file's tests; with `basic`, every request must carry that HTTP Basic account. */
export function useProbeSystem(options: { basic?: Account } = {}): () => ProbeSystem {
  const sessions = new Set<string>();
  let server: Server | undefined;
  let url = '';
  beforeAll(async () => {
    server = createServer((request, response) => void (async () => {
      const send = (html: string, status = 200, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(html);
      };
      const basic = basicUser(request);
      if (options.basic && basic !== `${options.basic.username}:${options.basic.password}`) {
        return send(page('401', '需要认证'), 401, { 'www-authenticate': 'Basic realm="probe"' });
      }
      const path = new URL(request.url ?? '/', 'http://probe').pathname;
      if (path === '/login' && request.method === 'POST') {
        const form = await formBody(request);
        if (form.get('username') !== PROBE_ACCOUNT.username || form.get('password') !== PROBE_ACCOUNT.password) {
          return send(page('登录', '<p role="alert">用户名或密码错误</p>'));
        }
        const sid = randomBytes(8).toString('hex');
        sessions.add(sid);
        return send('', 302, { location: '/', 'set-cookie': `sid=${sid}; Path=/; HttpOnly` });
      }
      if (path === '/login') {
        return send(page('登录', '<form method="post" action="/login"><label>用户名 <input name="username"></label>' +
          '<label>密码 <input name="password" type="password"></label><button>登录</button></form>'));
      }
      const sid = /(?:^|;\s*)sid=([0-9a-f]+)/.exec(request.headers.cookie ?? '')?.[1];
      if (!sid || !sessions.has(sid)) return send(page('提示', '<p>会话已超时,请重新登录</p>'));
      if (path === '/whoami') {
        const seen = { bot: request.headers['x-ferry-bot'] ?? null, userAgent: request.headers['user-agent'], basicUser: basic?.split(':')[0] ?? null };
        return send(page('whoami', `<pre id="seen">${JSON.stringify(seen)}</pre>`));
      }
      if (path === '/opener') return send(page('opener', '<button onclick="window.open(\'/popup\', \'picker\')">选择人员</button>'));
      if (path === '/popup') return send(page('人员选择', '<p>人员选择窗口</p><button onclick="alert(\'请先选择一条记录\')">确定</button>'));
      return send(page('首页', '<p>欢迎</p>'));
    })());
    url = await new Promise<string>((resolve) => server!.listen(0, '127.0.0.1', () => {
      const address = server!.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }));
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return () => ({ url, expireSessions: () => sessions.clear() });
}
