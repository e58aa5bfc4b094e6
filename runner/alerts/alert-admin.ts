/**
 * Changing alerting, for the dashboard's admin page and `ferry alerts` alike: each change is
 * checked, stored and audited (without a URL or secret), and "send test" says at once what
 * the channel answered.
 */
import type { AuditLog } from '../access/audit.ts';
import type { Runtime } from '../runtime.ts';
import { InputError } from '../errors.ts';
import type { AlertRule } from './alert.ts';
import { sendTestAlert } from './alert-delivery.ts';
import type { RuleSettings } from './alert-settings.ts';
import { ChannelId, ChannelSettings } from './channels.ts';

/** Who changes alerting, for the audit log. */
export interface AlertAdminActor {
  name: string;
  ip?: string;
}

/** The first problem zod found, as one line. */
const problemOf = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || 'settings'}: ${issue.message}`).join('; ');

export class AlertAdmin {
  constructor(private readonly runtime: Runtime, private readonly audit: AuditLog) {}

  /** Stores channel `id`; an InputError names what is wrong with the settings. */
  async setChannel(who: AlertAdminActor, id: string, settings: unknown): Promise<void> {
    const checkedId = ChannelId.safeParse(id);
    if (!checkedId.success) throw new InputError(problemOf(checkedId.error));
    const checked = ChannelSettings.safeParse(settings);
    if (!checked.success) throw new InputError(problemOf(checked.error));
    await this.runtime.alerts.setChannel(id, checked.data);
    await this.audit.record({ who: who.name, ip: who.ip, action: 'alert-channel-set', target: id, outcome: 'ok', detail: checked.data.kind });
  }

  async removeChannel(who: AlertAdminActor, id: string): Promise<void> {
    if (!(await this.runtime.alerts.removeChannel(id))) throw new InputError(`There is no alert channel "${id}".`);
    await this.audit.record({ who: who.name, ip: who.ip, action: 'alert-channel-remove', target: id, outcome: 'ok' });
  }

  /** Changes part of a rule; an InputError names a bad value or a channel that does not exist. */
  async updateRule(who: AlertAdminActor, rule: AlertRule, change: Partial<RuleSettings>): Promise<RuleSettings> {
    const known = (await this.runtime.alerts.channels()).map((channel) => channel.id);
    const unknown = (change.channels ?? []).find((id) => !known.includes(id));
    if (unknown) throw new InputError(`There is no alert channel "${unknown}".`);
    const scheduled = this.runtime.recipes.all().filter((recipe) => recipe.schedule).map((recipe) => recipe.id);
    const unscheduled = Object.keys(change.doneBy ?? {}).find((recipe) => !scheduled.includes(recipe));
    if (unscheduled) throw new InputError(`Recipe "${unscheduled}" has no schedule, so no sync deadline.`);
    const updated = await this.runtime.alerts.updateRule(rule, change).catch((error: Error & { issues?: [] }) => {
      throw error.issues ? new InputError(problemOf(error as never)) : error;
    });
    await this.audit.record({ who: who.name, ip: who.ip, action: 'alert-rule', target: rule, outcome: 'ok', detail: updated.enabled ? 'on' : 'off' });
    return updated;
  }

  /** Sends a test message now; resolves with the channel's refusal, or null when it took the message. */
  async test(who: AlertAdminActor, id: string): Promise<string | null> {
    const refusal = await sendTestAlert(this.runtime.alerts, id, this.runtime.config.dashboardUrl).then(() => null, (error: Error) => error.message);
    await this.audit.record({ who: who.name, ip: who.ip, action: 'alert-test', target: id, outcome: refusal ? 'failed' : 'ok', ...(refusal ? { detail: refusal } : {}) });
    return refusal;
  }
}
