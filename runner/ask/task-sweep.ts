/**
 * The task sweep, run by the scheduler every few seconds (any number of schedulers may run
 * it: each step is atomic and idempotent): questions past their first deadline go to ops as
 * well; past the final one the run is rejected with "no answer" (a sync that asked is recorded
 * failed with it); and answered tasks whose run (or sync) was not sent back to the queue (a
 * crash, or an answer that raced the attempt that asked) are sent back.
 */
import type { RunHistory } from '../run/history.ts';
import type { RunStats } from '../run/stats.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { TaskAnswerError, type TaskDesk } from './task-desk.ts';
import type { TaskStore } from './task-store.ts';

/** What the sweep works with. */
export interface TaskSweepDependencies {
  tasks: TaskStore;
  desk: TaskDesk;
  ledger: Ledger;
  history: RunHistory;
  stats: RunStats;
}

/** What one sweep did. */
export interface SweepResult {
  escalated: number;
  expired: number;
  resumed: number;
}

/** The reason a run gets when nobody answered its question in time. */
export const NO_ANSWER = '无人回答，已退回 (no answer before the deadline)';

/** An answer's run is looked at again by the sweep once it is this old. */
const RESUME_GRACE_MS = 2_000;

/** Escalates, expires and resumes what is due at `now`. */
export async function sweepTasks(deps: TaskSweepDependencies, now = Date.now()): Promise<SweepResult> {
  const { tasks, ledger, history, stats } = deps;
  const result: SweepResult = { escalated: 0, expired: 0, resumed: 0 };
  for (const id of await tasks.due('escalate', now)) {
    if (!(await tasks.escalate(id, now))) continue;
    result.escalated++;
    const task = await tasks.get(id);
    if (task && !task.sync) await history.event(task.run, { kind: 'ops', detail: `question ${task.question} unanswered: sent to ops` });
  }
  for (const id of await tasks.due('expire', now)) {
    const task = await tasks.get(id);
    // The task closes first: an answer that comes at the same moment either won already or is refused.
    if (!task || !(await tasks.expire(id, now))) continue;
    if (task.sync) {
      if (await deps.desk.failUnansweredSync(task, NO_ANSWER)) result.expired++;
      continue;
    }
    if (!(await ledger.overrideFrom('WAITING_FOR_PERSON', task.recipe, task.keyId, 'REJECTED', { reason: NO_ANSWER }))) continue;
    result.expired++;
    await stats.record(task.recipe, { state: 'REJECTED' });
    await history.finished(task.run, { state: 'REJECTED', reason: NO_ANSWER });
  }
  for (const id of await tasks.unresumed(now - RESUME_GRACE_MS)) {
    const task = await tasks.get(id);
    if (!task) {
      await tasks.resumed(id);
      continue;
    }
    try {
      if ((await deps.desk.resume(task, 'answered')) === 'resumed') result.resumed++;
    } catch (error) {
      // A run that cannot be sent back for good (its job and input are gone) must not hold up the others.
      if (!(error instanceof TaskAnswerError)) throw error;
      await tasks.resumed(id);
      if (!task.sync) await history.event(task.run, { kind: 'ops', detail: `answered, but not run again: ${error.message}` });
    }
  }
  return result;
}
