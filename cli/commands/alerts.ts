/**
 * `ferry alerts`: the alert channels, the rules and what is firing now; `ferry alerts channel
 * set <id> --kind K` stores a channel from JSON on standard input (its URL holds the robot's key,
 * so it never goes on a command line); `channel remove`; `test <id>` sends a test message;
 * `rule <rule>` switches a rule and sets its channels, re-notify interval and thresholds.
 * Every change is audited as the OS user.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditLogOf } from '../../runner/access/audit.ts';
import { ALERT_RULES, type AlertRule } from '../../runner/alerts/alert.ts';
import { AlertAdmin } from '../../runner/alerts/alert-admin.ts';
import { AlertBook } from '../../runner/alerts/alert-book.ts';
import type { RuleSettings } from '../../runner/alerts/alert-settings.ts';
import { CHANNEL_KINDS } from '../../runner/alerts/channels.ts';
import { InputError } from '../../runner/errors.ts';
import type { Runtime } from '../../runner/runtime.ts';
import { note, printJson } from '../output.ts';
import { readSecret } from '../read-secret.ts';
import { withRuntime } from '../with-runtime.ts';

const actor = () => ({ name: `cli:${userInfo().username}` });
const adminOf = (runtime: Runtime) => new AlertAdmin(runtime, auditLogOf(runtime));

const SETTINGS_HELP = `{"url":"https://oapi.dingtalk.com/robot/send?access_token=…","secret":"SEC…"} for dingtalk; {"url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"} for wecom; {"smtp":"smtps://user:password@host:465","from":"ferry@…","to":["ops@…"]} for email; {"url":"https://…"} for webhook`;

function ruleOf(name: string): AlertRule {
  if (!(ALERT_RULES as readonly string[]).includes(name)) throw new InputError(`No alert rule "${name}"; the rules are ${ALERT_RULES.join(', ')}.`);
  return name as AlertRule;
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`${what} must be a whole number, not "${text}".`);
  return Number(text);
}

/** `recipe=HH:MM` pairs (and `recipe=` to clear one) merged into the rule's `doneBy`. */
function doneByOf(pairs: string[], current: Record<string, string>): Record<string, string> {
  const doneBy = { ...current };
  for (const pair of pairs) {
    const [recipe, time] = pair.split('=');
    if (!recipe || time === undefined) throw new InputError(`--done-by takes recipe=HH:MM (or recipe= to clear it), not "${pair}".`);
    if (time) doneBy[recipe] = time;
    else delete doneBy[recipe];
  }
  return doneBy;
}

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alerts to DingTalk, WeCom, e-mail or a webhook: channels, rules, and what is firing')
    .option('--json', 'print JSON')
    .action(async (options) => withRuntime(async (runtime) => {
      const shown = { channels: await runtime.alerts.channels(), rules: await runtime.alerts.rules(), firing: await new AlertBook(runtime.redis, runtime.keys).firing() };
      if (options.json) return printJson(shown);
      const lines = [
        'Channels:', ...(shown.channels.length ? shown.channels.map((channel) => `  ${channel.id}  ${channel.kind} → ${channel.target}`) : ['  none: add one with `ferry alerts channel set <id> --kind <kind>`']),
        'Rules:', ...ALERT_RULES.map((rule) => {
          const settings = shown.rules[rule];
          return `  ${rule}  ${settings.enabled ? 'on' : 'off'} → ${settings.channels.length ? settings.channels.join(', ') : 'every channel'}; told again after ${settings.renotifyMinutes} min` +
            (rule === 'oldest-waiting' ? `; after ${settings.minutes} min queued` : '') +
            (rule === 'sync-deadline' ? `; ${Object.entries(settings.doneBy).map(([recipe, time]) => `${recipe} by ${time}`).join(', ') || 'no deadlines set'}` : '');
        }),
        'Firing:', ...(shown.firing.length ? shown.firing.map((alert) => `  ${new Date(alert.since).toISOString()}  ${alert.rule}  ${alert.summary}`) : ['  nothing']),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }));

  const channel = alerts.command('channel').description('where alerts go');
  channel
    .command('set <id>')
    .description(`store (or replace) a channel; its settings are JSON on standard input: ${SETTINGS_HELP}`)
    .requiredOption('--kind <kind>', CHANNEL_KINDS.join(', '))
    .action(async (id: string, options: { kind: string }) => withRuntime(async (runtime) => {
      const text = await readSecret(`settings of ${id} as JSON, then Enter: `);
      let settings: unknown;
      try {
        settings = JSON.parse(text);
      } catch {
        throw new InputError(`The settings are not JSON. For example: ${SETTINGS_HELP}`);
      }
      await adminOf(runtime).setChannel(actor(), id, { ...(settings as object), kind: options.kind });
      note(`stored alert channel ${id} (${options.kind}), encrypted`);
    }));
  channel
    .command('remove <id>')
    .description('remove a channel; its undelivered messages are dropped')
    .action(async (id: string) => withRuntime(async (runtime) => adminOf(runtime).removeChannel(actor(), id)));

  alerts
    .command('test <id>')
    .description('send a test message to a channel now, and say what it answered')
    .action(async (id: string) => withRuntime(async (runtime) => {
      if (!(await runtime.alerts.channel(id))) throw new InputError(`There is no alert channel "${id}".`);
      const refusal = await adminOf(runtime).test(actor(), id);
      if (refusal) throw new InputError(`The test message was not delivered: ${refusal}`);
      note(`test message delivered to ${id}`);
    }));

  alerts
    .command('rule <rule>')
    .description(`switch a rule on or off and set it: ${ALERT_RULES.join(', ')}`)
    .option('--on', 'alert on it')
    .option('--off', 'do not alert on it')
    .option('--channels <ids>', 'comma-separated channel ids, or "all"')
    .option('--renotify-minutes <n>', 'tell a firing alert again after this many minutes')
    .option('--minutes <n>', 'oldest-waiting: minutes a run may stay queued')
    .option('--done-by <recipe=HH:MM...>', 'sync-deadline: when a recipe\'s nightly sync must be done (recipe= clears it)')
    .action(async (name: string, options: { on?: boolean; off?: boolean; channels?: string; renotifyMinutes?: string; minutes?: string; doneBy?: string[] }) => withRuntime(async (runtime) => {
      const rule = ruleOf(name);
      if (options.on && options.off) throw new InputError('Give --on or --off, not both.');
      const change: Partial<RuleSettings> = {
        ...(options.on || options.off ? { enabled: Boolean(options.on) } : {}),
        ...(options.channels ? { channels: options.channels === 'all' ? [] : options.channels.split(',').map((id) => id.trim()).filter(Boolean) } : {}),
        ...(options.renotifyMinutes ? { renotifyMinutes: wholeNumber(options.renotifyMinutes, '--renotify-minutes') } : {}),
        ...(options.minutes ? { minutes: wholeNumber(options.minutes, '--minutes') } : {}),
        ...(options.doneBy ? { doneBy: doneByOf(options.doneBy, (await runtime.alerts.rule(rule)).doneBy) } : {}),
      };
      printJson({ rule, ...(await adminOf(runtime).updateRule(actor(), rule, change)) });
    }));
}
