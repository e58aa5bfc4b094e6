/**
 * The rules, each a look at Ferry's own state that names what is wrong now: runs waiting for
 * review, a matter whose four-colour status is orange or red, a bot whose circuit is paused or
 * open, a nightly sync not finished by
 * its deadline, a run left queued too long, and questions unanswered past their deadline.
 * Each condition carries counts and names only.
 */
import { maskText } from '../access/mask.ts';
import { CanaryStore } from '../canary/canary-store.ts';
import type { Recipe } from '../define/recipe.ts';
import type { Runtime } from '../runtime.ts';
import { dayOf, OUTCOME_COUNTERS, type OutcomeCounter } from '../run/stats.ts';
import { latestSlot, timezoneOf } from '../scheduler/slots.ts';
import { colourOf } from '../status/matter-colour.ts';
import { successRate } from '../status/status.ts';
import type { AlertCondition, AlertRule } from './alert.ts';
import type { RuleSettings } from './alert-settings.ts';

const DAY_MS = 86_400_000;
/** How many queued runs the oldest-waiting rule looks at. */
const QUEUE_SAMPLE = 2_000;

type Look = (runtime: Runtime, settings: RuleSettings, now: number) => Promise<AlertCondition[]>;

const percent = (rate: number) => `${Math.floor(rate * 1000) / 10}%`;

const needsReview: Look = async (runtime) => {
  const found = await Promise.all(runtime.recipes.all().map(async (recipe) => ({ recipe, count: (await runtime.ledger.counts(recipe.id)).NEEDS_REVIEW ?? 0 })));
  return found.filter(({ count }) => count > 0).map(({ recipe, count }) => ({
    rule: 'needs-review', subject: recipe.id, path: `/ops?recipe=${encodeURIComponent(recipe.id)}`,
    summary: `${recipe.title}：${count} 条待人工复核 (${count} runs need review)`,
  }));
};

/** Today's success rate, or the last seven days' before any run today, as the overview shows it. */
async function rateOf(runtime: Runtime, recipe: Recipe, now: number): Promise<number | null> {
  const days = await Promise.all(Array.from({ length: 7 }, (_, i) => runtime.stats.day(recipe.id, dayOf(new Date(now - i * DAY_MS)))));
  const week = Object.fromEntries(OUTCOME_COUNTERS.map((name) => [name, days.reduce((sum, day) => sum + day[name], 0)])) as Record<OutcomeCounter, number>;
  return successRate(days[0]) ?? successRate(week);
}

const matterStatus: Look = async (runtime, _settings, now) => {
  const canaries = new CanaryStore(runtime.redis, runtime.keys);
  const found = await Promise.all(runtime.recipes.all().map(async (recipe) => {
    const reports = await Promise.all(Object.values(recipe.bots).map((bot) => canaries.report(bot.id)));
    const rate = await rateOf(runtime, recipe, now);
    return { recipe, rate, colour: colourOf(rate, true, reports.some((report) => report?.problems.length)) };
  }));
  return found.filter(({ colour }) => colour === 'orange' || colour === 'red').map(({ recipe, rate, colour }) => ({
    rule: 'matter-status', subject: recipe.id, path: '/',
    summary: `${recipe.title}：状态${colour === 'red' ? '红' : '橙'} (status ${colour})${rate === null ? '，系统界面有变化 (screens changed)' : `，成功率 ${percent(rate)} (success rate)`}`,
  }));
};

const circuitOpen: Look = async (runtime) => {
  const found = await Promise.all(runtime.recipes.botIds().map(async (id) => ({ bot: runtime.recipes.bot(id), circuit: await runtime.circuits.get(id) })));
  return found.filter(({ circuit }) => circuit.state !== 'closed').map(({ bot, circuit }) => ({
    rule: 'circuit-open', subject: bot.id, path: '/overview',
    summary: circuit.state === 'paused'
      ? `${bot.title}：登录被拒绝，已暂停，等待运维处理（${maskText(circuit.reason).slice(0, 120)}）(logins paused after refusals)`
      : `${bot.title}：系统无响应，登录稍后重试 (the system does not answer; logins wait)`,
  }));
};

const syncDeadline: Look = async (runtime, settings, now) => {
  const late = await Promise.all(runtime.recipes.all().filter((recipe) => recipe.schedule && settings.doneBy[recipe.id]).map(async (recipe) => {
    const doneBy = settings.doneBy[recipe.id];
    const [hour, minute] = doneBy.split(':').map(Number);
    // The last deadline passed, and the last slot of the schedule before it: that sync must be done.
    const deadline = latestSlot({ cron: `${minute} ${hour} * * *`, timezone: timezoneOf(recipe.schedule!) }, new Date(now));
    const due = latestSlot(recipe.schedule!, deadline);
    const last = await runtime.syncState.lastSync(recipe.id);
    const done = last?.state === 'done' && new Date(last.slot) >= due;
    return done ? null : { recipe, doneBy, waiting: last?.state === 'waiting' };
  }));
  return late.filter((found) => found !== null).map(({ recipe, doneBy, waiting }) => ({
    rule: 'sync-deadline', subject: recipe.id, path: waiting ? '/tasks' : '/',
    summary: `${recipe.title}：定时同步未在 ${doneBy} 前完成${waiting ? '，等待运维回答' : ''} (the nightly sync had not finished by ${doneBy}${waiting ? '; it waits for an answer' : ''})`,
  }));
};

const oldestWaiting: Look = async (runtime, settings, now) => {
  const [oldestListed] = await runtime.queue.getJobs(['waiting'], 0, 0, true);
  const prioritized = await runtime.redis.zrange(runtime.queue.keys.prioritized, 0, QUEUE_SAMPLE - 1);
  const pipeline = runtime.redis.pipeline();
  for (const id of prioritized) pipeline.hget(runtime.queue.toKey(id), 'timestamp');
  const stamps = ((await pipeline.exec()) ?? []).map(([, stamp]) => Number(stamp)).filter((stamp) => stamp > 0);
  if (oldestListed) stamps.push(oldestListed.timestamp);
  if (stamps.length === 0) return [];
  const minutes = Math.floor((now - Math.min(...stamps)) / 60_000);
  if (minutes < settings.minutes) return [];
  return [{
    rule: 'oldest-waiting', subject: 'queue', path: '/',
    summary: `最早排队的任务已等待 ${minutes} 分钟，超过 ${settings.minutes} 分钟 (the oldest queued run has waited ${minutes} minutes)`,
  }];
};

const taskDeadline: Look = async (runtime, _settings, now) => {
  const late = new Map<string, number>();
  for (const task of await runtime.tasks.listOpen()) if (task.escalateAt <= now) late.set(task.recipe, (late.get(task.recipe) ?? 0) + 1);
  const titles = new Map(runtime.recipes.all().map((recipe) => [recipe.id, recipe.title]));
  return [...late].map(([recipe, count]) => ({
    rule: 'task-deadline', subject: recipe, path: '/tasks',
    summary: `${titles.get(recipe) ?? recipe}：${count} 个问题超过期限无人回答 (${count} questions unanswered past their deadline)`,
  }));
};

const LOOKS: Record<AlertRule, Look> = {
  'needs-review': needsReview, 'matter-status': matterStatus, 'circuit-open': circuitOpen, 'sync-deadline': syncDeadline, 'oldest-waiting': oldestWaiting, 'task-deadline': taskDeadline,
};

/** What the enabled rules find wrong at `now`. */
export async function lookForAlerts(runtime: Runtime, rules: Record<AlertRule, RuleSettings>, now = Date.now()): Promise<AlertCondition[]> {
  const enabled = (Object.keys(LOOKS) as AlertRule[]).filter((rule) => rules[rule].enabled);
  return (await Promise.all(enabled.map((rule) => LOOKS[rule](runtime, rules[rule], now)))).flat();
}
