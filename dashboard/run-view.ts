/**
 * A run as the staff and ops pages show it: its state, the four steps and how far the
 * current attempt got, the receipt or the reason, and the ledger entry behind it. A run
 * that is queued but has not started yet comes from its BullMQ job.
 */
import { Job } from 'bullmq';
import type { Recipe } from '../runner/define/recipe.ts';
import type { LedgerEntry } from '../runner/ledger/ledger.ts';
import type { RunEvent, RunRecord } from '../runner/run/history.ts';
import type { RunJobData, RunStep } from '../runner/run/types.ts';
import type { DashboardContext } from './context.ts';

export const STEPS: RunStep[] = ['reading', 'checking', 'entering', 'verifying'];
const FINAL_STATES = ['DONE', 'REJECTED', 'FAILED', 'NEEDS_REVIEW', 'DISCARDED'];

/** A step's mark: `waiting` is a step stopped for a person's answer (nothing runs meanwhile). */
export type StepStatus = 'done' | 'current' | 'waiting' | 'failed' | 'todo';

export interface RunView {
  id: string;
  recipe: string;
  recipeTitle: string;
  key: string;
  via: string;
  by: string;
  createdAt: number;
  updatedAt: number;
  state: RunRecord['state'];
  final: boolean;
  /** The current (or last) attempt's number; 0 before the first. */
  attempt: number;
  /** While it waits for a closed system to open: which system, and when it opens. */
  closed?: { system: string; opensAt: string };
  /** While it waits for a bot whose logins are paused: which system, and why. */
  paused?: { system: string; reason: string };
  steps: { step: RunStep; status: StepStatus }[];
  receipt?: string;
  reason?: string;
  /** The data or a rule was refused (REJECTED, also when ops discarded it after): the reason is meant for people. */
  refused: boolean;
  /** Title of the system a failed run failed in, when known. */
  failedIn?: string;
  evidence?: string;
  events: RunEvent[];
  ledger: LedgerEntry | null;
}

/** The title of a recipe, or its id when it is no longer loaded. */
export function recipeTitle(ctx: DashboardContext, id: string): string {
  return ctx.runtime.recipes.all().find((recipe) => recipe.id === id)?.title ?? id;
}

/** True when ops asked for a retry that has not started yet. */
export function retryPending(events: RunEvent[]): boolean {
  const last = events.at(-1);
  return last?.kind === 'ops' && (last.detail ?? '').startsWith('retry');
}

/** True when the run was REJECTED, or discarded by ops after it was REJECTED. */
export function wasRefused(state: RunView['state'], events: RunEvent[]): boolean {
  if (state === 'REJECTED') return true;
  const endings = events.filter((event) => event.kind === 'finished').map((event) => event.detail);
  return state === 'DISCARDED' && endings.at(-2) === 'REJECTED';
}

/** The steps the latest attempt reached, in order. */
export function stepsOfLastAttempt(events: RunEvent[]): RunStep[] {
  const start = events.map((event) => event.kind).lastIndexOf('attempt');
  return events.slice(start + 1).filter((event) => event.kind === 'step').map((event) => event.step!);
}

/** Where a run failed: a bot the reason names, else by step (reading is the sources, later steps the target); null before any step (log-in, session). */
export function failingSystem(recipe: Recipe | undefined, reason: string, events: RunEvent[]): string | null {
  if (!recipe) return null;
  const bots = Object.entries(recipe.bots);
  const named = bots.filter(([, bot]) => reason.includes(bot.id));
  if (named.length === 1) return named[0][1].id;
  const step = stepsOfLastAttempt(events).at(-1);
  if (!step) return null;
  if (step === 'reading') return bots.find(([alias]) => alias !== recipe.target)?.[1].id ?? null;
  return recipe.bots[recipe.target].id;
}

function stepStatuses(state: RunView['state'], final: boolean, events: RunEvent[]): RunView['steps'] {
  const reached = STEPS.indexOf(stepsOfLastAttempt(events).at(-1) ?? ('' as RunStep));
  return STEPS.map((step, i) => {
    if (state === 'DONE' || i < reached) return { step, status: 'done' };
    if (i === reached) return { step, status: final ? 'failed' : state === 'WAITING_FOR_PERSON' ? 'waiting' : 'current' };
    return { step, status: 'todo' };
  });
}

/** The system a queued run waits for, when its last event says one is closed or paused. */
function waitingOf(events: RunEvent[]): Pick<RunView, 'closed' | 'paused'> {
  const last = events.at(-1);
  if (!last?.detail) return {};
  const [system, rest] = last.detail.split(' · ');
  if (last.kind === 'closed') return { closed: { system, opensAt: rest } };
  if (last.kind === 'paused') return { paused: { system, reason: rest } };
  return {};
}

/** Loads a run by its id (the job id); null when neither history nor queue knows it. */
export async function loadRunView(ctx: DashboardContext, id: string): Promise<RunView | null> {
  const found = await ctx.runtime.history.get(id);
  let run: RunRecord;
  let events: RunEvent[] = [];
  if (found) {
    ({ run, events } = found);
  } else {
    const job = await Job.fromId<RunJobData>(ctx.runtime.queue, id);
    if (!job) return null;
    const { recipe, keyId, trigger } = job.data;
    run = { id, recipe, keyId, via: trigger.via, by: trigger.by, createdAt: job.timestamp, updatedAt: job.timestamp, state: 'QUEUED' };
  }
  const pending = retryPending(events);
  const recipe = ctx.runtime.recipes.all().find((candidate) => candidate.id === run.recipe);
  const failedBot = run.reason ? failingSystem(recipe, run.reason, events) : null;
  const failedIn = Object.values(recipe?.bots ?? {}).find((bot) => bot.id === failedBot)?.title;
  const state = pending ? 'QUEUED' : run.state;
  const final = FINAL_STATES.includes(state);
  return {
    id, recipe: run.recipe, recipeTitle: recipeTitle(ctx, run.recipe), key: run.keyId, via: run.via, by: run.by,
    createdAt: run.createdAt, updatedAt: run.updatedAt, state, final,
    attempt: events.filter((event) => event.kind === 'attempt').at(-1)?.attempt ?? 0,
    steps: pending ? STEPS.map((step) => ({ step, status: 'todo' })) : stepStatuses(state, final, events),
    receipt: run.receipt, reason: run.reason, refused: wasRefused(state, events), failedIn, evidence: run.evidence, events,
    ...(state === 'QUEUED' ? waitingOf(events) : {}),
    ledger: await ctx.runtime.ledger.get(run.recipe, run.keyId),
  };
}
