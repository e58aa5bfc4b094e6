/**
 * Folder `runner/alerts/`: telling ops where they already are (DingTalk, WeCom, e-mail, a
 * webhook) when something needs them, and when it no longer does. Rules look at Ferry's own
 * state (the ledger, the schedules, the queue, the tasks) and name what is wrong now, each as
 * a (rule, subject) condition; the book remembers which conditions are firing, so each is told
 * once, told again after a re-notify interval, and told "resolved" when it clears. Messages go
 * out through a BullMQ queue of their own, retried with back-off by the scheduler, so a channel
 * that is down never holds up a run. No message carries personal data: counts, matter names,
 * run ids and a link to the dashboard.
 *
 * This file: what an alert is.
 */

/** The rules Ferry alerts on. */
export const ALERT_RULES = ['needs-review', 'matter-status', 'circuit-open', 'sync-deadline', 'oldest-waiting', 'task-deadline'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** Something wrong now: one rule about one subject (a matter, a schedule, the queue). */
export interface AlertCondition {
  rule: AlertRule;
  /** What it is about, stable while it lasts: a recipe id, `queue`. */
  subject: string;
  /** One line, in Chinese and English, with counts and names only. */
  summary: string;
  /** The dashboard page to look at, relative to the dashboard (`/ops?…`). */
  path: string;
}

/** What a channel is sent. */
export interface AlertMessage {
  rule: AlertRule;
  subject: string;
  state: 'firing' | 'resolved';
  title: string;
  text: string;
  /** The dashboard page, absolute when the dashboard's address is configured. */
  link: string;
  /** When the condition began (ms). */
  since: number;
  /** When this message was made (ms). */
  at: number;
}

/** The message for `condition` in `state`; `dashboardUrl` makes its link absolute. */
export function alertMessage(condition: AlertCondition, state: AlertMessage['state'], since: number, dashboardUrl: string | undefined, at = Date.now()): AlertMessage {
  const heading = state === 'firing' ? '【Ferry 告警 alert】' : '【Ferry 已恢复 resolved】';
  return {
    rule: condition.rule, subject: condition.subject, state, since, at,
    title: `${heading}${condition.summary}`.slice(0, 120),
    text: condition.summary,
    link: `${dashboardUrl ? dashboardUrl.replace(/\/$/, '') : ''}${condition.path}`,
  };
}
