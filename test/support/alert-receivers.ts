/**
 * Where alerts go in tests: an HTTP server standing in for a DingTalk custom robot (it checks
 * the signature as DingTalk does), a WeCom group robot (it checks the body's shape) and a
 * JSON webhook, plus a real SMTP server (smtp-server) on 127.0.0.1. Each keeps what it took.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

export const DINGTALK_SECRET = 'SECtest-robot-secret';
export const WECOM_KEY = 'wecom-test-key';

/** One message a receiver took. */
export interface Received {
  kind: 'dingtalk' | 'wecom' | 'webhook' | 'email';
  /** The title or subject line. */
  title: string;
  /** Everything received, for the personal-data check. */
  raw: string;
}

export interface AlertReceivers {
  httpUrl: string;
  smtpUrl: string;
  received: Received[];
  /** The next `count` robot requests are refused (DingTalk with errcode 310000, others with 500). */
  refuseNext(count: number): void;
  /** Refusals still to come. */
  refusalsLeft(): number;
}

/** A header's MIME encoded-words (`=?UTF-8?B?…?=`), decoded, folds and the spaces between words dropped. */
function decodeHeader(value: string): string {
  return value.replace(/\r\n[ \t]+/g, ' ').replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([BQ])\?(.*?)\?=/gi, (_, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replaceAll('_', ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
}

const bodyOf = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Starts the receivers for the enclosing file. */
export function useAlertReceivers(): () => AlertReceivers {
  const received: Received[] = [];
  let refusals = 0;
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const raw = await bodyOf(request);
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const body = JSON.parse(raw || '{}');
    if (refusals > 0) {
      refusals--;
      return url.pathname === '/robot/send' ? answer(200, { errcode: 310000, errmsg: 'sign not match' }) : answer(500, { error: 'busy' });
    }
    if (url.pathname === '/robot/send') {
      const timestamp = Number(url.searchParams.get('timestamp'));
      const expected = createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64');
      if (url.searchParams.get('sign') !== expected || Math.abs(Date.now() - timestamp) > 3_600_000) return answer(200, { errcode: 310000, errmsg: 'sign not match' });
      if (body.msgtype !== 'markdown' || typeof body.markdown?.title !== 'string' || typeof body.markdown?.text !== 'string') return answer(200, { errcode: 40035, errmsg: 'bad body' });
      received.push({ kind: 'dingtalk', title: body.markdown.title, raw });
      return answer(200, { errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      if (url.searchParams.get('key') !== WECOM_KEY) return answer(200, { errcode: 93000, errmsg: 'invalid webhook url' });
      if (body.msgtype !== 'markdown' || typeof body.markdown?.content !== 'string') return answer(200, { errcode: 40008, errmsg: 'bad body' });
      received.push({ kind: 'wecom', title: body.markdown.content.split('\n')[0].replace(/^### /, ''), raw });
      return answer(200, { errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname === '/hook') {
      received.push({ kind: 'webhook', title: body.title, raw });
      return answer(204, {});
    }
    return answer(404, { error: 'no such path' });
  });
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, callback) {
      bodyOf(stream as unknown as IncomingMessage).then((raw) => {
        const subject = decodeHeader(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? '');
        received.push({ kind: 'email', title: subject, raw });
        callback();
      }, callback);
    },
  });
  let started: AlertReceivers | undefined;
  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    started = {
      httpUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      received,
      refuseNext: (count) => void (refusals = count),
      refusalsLeft: () => refusals,
    };
  });
  afterAll(async () => {
    http.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
  return () => {
    if (!started) throw new Error('alert receivers not started');
    return started;
  };
}
