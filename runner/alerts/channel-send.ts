/**
 * Sending one alert message to one channel. DingTalk's custom robot gets a markdown message,
 * signed when it has a secret (HMAC-SHA256 of `timestamp\nsecret`, base64, as `sign`); WeCom's
 * group robot a markdown message; a webhook the message as JSON; e-mail a plain text mail
 * through nodemailer. A refusal throws an error that names the channel's kind and its answer,
 * never its URL (which holds the robot's key).
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertMessage } from './alert.ts';
import type { ChannelSettings } from './channels.ts';

/** How long one delivery may take. */
const SEND_TIMEOUT_MS = 10_000;

/** The `timestamp` and `sign` of a DingTalk robot request made at `now` (ms). */
export function dingTalkSignature(secret: string, now: number): { timestamp: string; sign: string } {
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  return { timestamp: String(now), sign };
}

function markdownOf(message: AlertMessage): string {
  return `### ${message.title}\n\n${message.text}\n\n${message.link ? `[打开 Ferry (open Ferry)](${message.link})` : ''}`;
}

/** POSTs `body` as JSON; throws unless the answer is 2xx and, for a robot, `errcode` 0. */
async function postJson(url: string, body: unknown, what: string, robot: boolean): Promise<void> {
  const response = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  const text = (await response.text()).slice(0, 300);
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text}`);
  if (!robot) return;
  const answer = JSON.parse(text || '{}') as { errcode?: number; errmsg?: string };
  if (answer.errcode !== 0) throw new Error(`${what} refused the message: ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
}

/** Delivers `message` to the channel; throws (for a retry) when the channel does not take it. */
export async function sendToChannel(settings: ChannelSettings, message: AlertMessage, now = Date.now()): Promise<void> {
  switch (settings.kind) {
    case 'dingtalk': {
      const url = new URL(settings.url);
      if (settings.secret) for (const [name, value] of Object.entries(dingTalkSignature(settings.secret, now))) url.searchParams.set(name, value);
      return postJson(url.href, { msgtype: 'markdown', markdown: { title: message.title, text: markdownOf(message) } }, 'the DingTalk robot', true);
    }
    case 'wecom':
      return postJson(settings.url, { msgtype: 'markdown', markdown: { content: markdownOf(message) } }, 'the WeCom robot', true);
    case 'webhook':
      return postJson(settings.url, message, 'the webhook', false);
    case 'email': {
      const smtp = new URL(settings.smtp);
      const transport = nodemailer.createTransport({
        host: smtp.hostname, port: Number(smtp.port) || (smtp.protocol === 'smtps:' ? 465 : 25), secure: smtp.protocol === 'smtps:',
        ...(smtp.username ? { auth: { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) } } : {}),
        connectionTimeout: SEND_TIMEOUT_MS, greetingTimeout: SEND_TIMEOUT_MS, socketTimeout: SEND_TIMEOUT_MS,
      });
      try {
        await transport.sendMail({ from: settings.from, to: settings.to, subject: message.title, text: `${message.text}\n\n${message.link}` });
      } finally {
        transport.close();
      }
    }
  }
}
