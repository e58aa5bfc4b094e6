/**
 * Alert channels as an admin configures them: a DingTalk custom robot (with its signing
 * secret), a WeCom group robot, e-mail over SMTP, or a generic JSON webhook. The URLs and
 * secrets are sealed at rest like credentials; what is shown of a channel is its kind, name
 * and host.
 */
import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000);
const Email = z.email({ error: 'an e-mail address' }).max(200);

/** How to reach one channel; sealed in Redis. */
export const ChannelSettings = z.discriminatedUnion('kind', [
  /** The robot's webhook URL (with its access_token) and, for a robot set to 加签, its secret (`SEC…`). */
  z.object({ kind: z.literal('dingtalk'), url: HttpUrl, secret: z.string().min(1).max(200).optional() }).strict(),
  /** The group robot's webhook URL; its `key` is the secret, so the whole URL is one. */
  z.object({ kind: z.literal('wecom'), url: HttpUrl }).strict(),
  /** `smtp://user:password@host:port` (or `smtps://`), the sender and the recipients. */
  z.object({
    kind: z.literal('email'),
    smtp: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).max(2000),
    from: Email,
    to: z.array(Email).min(1, 'at least one recipient').max(20),
  }).strict(),
  /** Any URL that takes a JSON POST of the message. */
  z.object({ kind: z.literal('webhook'), url: HttpUrl }).strict(),
]);
export type ChannelSettings = z.infer<typeof ChannelSettings>;
export type ChannelKind = ChannelSettings['kind'];
export const CHANNEL_KINDS: ChannelKind[] = ['dingtalk', 'wecom', 'email', 'webhook'];

/** A channel id: kebab-case, as an admin names it (`ops-dingtalk`). */
export const ChannelId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a channel id is lower-case letters, digits and "-", starting with a letter');

/** A channel as listed: its id, kind and where it goes, never its secret. */
export interface ChannelSummary {
  id: string;
  kind: ChannelKind;
  /** The host a robot or webhook posts to, or the recipients of e-mail. */
  target: string;
}

/** What may be shown of a channel. */
export function summaryOf(id: string, settings: ChannelSettings): ChannelSummary {
  const target = settings.kind === 'email' ? settings.to.join(', ') : new URL(settings.url).host;
  return { id, kind: settings.kind, target };
}
