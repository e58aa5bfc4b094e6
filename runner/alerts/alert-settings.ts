/**
 * What admins configure: the channels (sealed, like credentials) and, per rule, whether it is
 * on, which channels it goes to (all when none are named), how often a firing alert is told
 * again, and the rule's own threshold. A rule never configured is on, to every channel, with
 * its defaults, so a fresh install with one channel alerts on everything.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SecretBox } from '../access/secrets.ts';
import type { RedisKeys } from '../redis/keys.ts';
import { ALERT_RULES, type AlertRule } from './alert.ts';
import { ChannelSettings, summaryOf, type ChannelSummary } from './channels.ts';

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');

/** One rule's settings. */
export const RuleSettings = z.object({
  enabled: z.boolean().default(true),
  /** Channel ids; empty sends to every channel. */
  channels: z.array(z.string().max(40)).max(20).default([]),
  /** Minutes before a still-firing alert is told again. @defaultValue 240 */
  renotifyMinutes: z.number().int().min(5).max(7 * 24 * 60).default(240),
  /** `oldest-waiting`: minutes a run may wait in the queue. @defaultValue 30 */
  minutes: z.number().int().min(1).max(24 * 60).default(30),
  /** `sync-deadline`: per recipe with a schedule, the time of day (in its schedule's zone) its nightly sync must have finished by. */
  doneBy: z.record(z.string().max(100), HourMinute).default({}),
}).strict();
export type RuleSettings = z.infer<typeof RuleSettings>;

/** Channels and rules, in Redis. */
export class AlertSettings {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly box: SecretBox) {}

  /** Stores (or replaces) channel `id`; its settings are checked first. */
  async setChannel(id: string, settings: ChannelSettings): Promise<void> {
    await this.redis.hset(this.keys.alertChannels(), id, this.box.seal(JSON.stringify(ChannelSettings.parse(settings))));
  }

  /** True when the channel existed. */
  async removeChannel(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.alertChannels(), id)) === 1;
  }

  /** A channel's settings, unsealed, or null. */
  async channel(id: string): Promise<ChannelSettings | null> {
    const sealed = await this.redis.hget(this.keys.alertChannels(), id);
    return sealed ? ChannelSettings.parse(JSON.parse(this.box.open(sealed))) : null;
  }

  /** Every channel, as it may be shown (no URL path, no secret), by id. */
  async channels(): Promise<ChannelSummary[]> {
    const all = await this.redis.hgetall(this.keys.alertChannels());
    return Object.entries(all).sort(([a], [b]) => a.localeCompare(b))
      .map(([id, sealed]) => summaryOf(id, ChannelSettings.parse(JSON.parse(this.box.open(sealed)))));
  }

  /** A rule's settings, with the defaults for what was never set. */
  async rule(rule: AlertRule): Promise<RuleSettings> {
    const json = await this.redis.hget(this.keys.alertRules(), rule);
    return RuleSettings.parse(json ? JSON.parse(json) : {});
  }

  /** Every rule's settings. */
  async rules(): Promise<Record<AlertRule, RuleSettings>> {
    return Object.fromEntries(await Promise.all(ALERT_RULES.map(async (rule) => [rule, await this.rule(rule)]))) as Record<AlertRule, RuleSettings>;
  }

  /** Changes part of a rule's settings; the result is checked before it is stored. */
  async updateRule(rule: AlertRule, change: Partial<RuleSettings>): Promise<RuleSettings> {
    const settings = RuleSettings.parse({ ...(await this.rule(rule)), ...change });
    await this.redis.hset(this.keys.alertRules(), rule, JSON.stringify(settings));
    return settings;
  }

  /** The channels a rule's alerts go to: those it names that exist, or every channel. */
  async channelsOf(rule: AlertRule): Promise<string[]> {
    const all = await this.redis.hkeys(this.keys.alertChannels());
    const named = (await this.rule(rule)).channels;
    return named.length === 0 ? all.sort() : named.filter((id) => all.includes(id));
  }
}
