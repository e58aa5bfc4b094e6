/**
 * The person under chaos: a share of the enrollments' 居住证号 images is drawn blank, so
 * those runs ask; this scripted answerer answers each open question after a random pause,
 * through the task desk, as ops would, while workers die and Redis restarts. It also does the
 * scheduler's task sweep, which resumes a run whose answer raced the attempt that asked.
 */
import type { Applicant } from '../../fixtures/data/applicants.ts';
import { setFixtureFaults } from '../../fixtures/control.ts';
import { auditLogOf } from '../../runner/access/audit.ts';
import { taskDeskOf } from '../../runner/ask/task-desk.ts';
import { sweepTasks } from '../../runner/ask/task-sweep.ts';
import { splitRunJobId } from '../../runner/run/key.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import type { Runtime } from '../../runner/runtime.ts';

/** A running answerer. */
export interface ChaosAnswerer {
  /** Questions answered so far. */
  answered(): number;
  /** True while a question is open or an answer has not yet sent its run back to the queue. */
  busy(): Promise<boolean>;
  stop(): Promise<void>;
}

const OPS = { name: 'chaos-ops', identity: triggeredBy.cli('chaos-ops'), ops: true };

/** Draws the permit images of `share` of the outsiders blank and starts answering their questions. */
export async function startChaosAnswerer(runtime: Runtime, residenceUrl: string, outsiders: Applicant[], share: number): Promise<ChaosAnswerer> {
  const asking = outsiders.filter((a) => a.permit).slice(0, Math.round(outsiders.length * share));
  await setFixtureFaults(residenceUrl, { illegibleNumbers: asking.map((a) => a.permit!.permitNo) });
  const permitOf = new Map(asking.map((a) => [a.caseNo, a.permit!.permitNo]));
  const history = runtime.history;
  const desk = taskDeskOf(runtime, auditLogOf(runtime));
  const sweep = { tasks: runtime.tasks, desk, ledger: runtime.ledger, history, stats: runtime.stats };
  const scheduled = new Set<string>();
  let answered = 0;
  let stopped = false;
  const answerLater = (taskId: string, run: string) => setTimeout(() => {
    const permitNo = permitOf.get(splitRunJobId(run).keyId);
    if (!permitNo || stopped) return;
    desk.answer(taskId, permitNo, OPS).then(() => answered++, () => {}).finally(() => scheduled.delete(taskId));
  }, Math.random() * 5_000);
  const tick = async () => {
    for (const task of await runtime.tasks.listOpen()) {
      if (scheduled.has(task.id)) continue;
      scheduled.add(task.id);
      answerLater(task.id, task.run);
    }
    await sweepTasks(sweep);
  };
  let running = Promise.resolve();
  // Errors while Redis is down are expected: the next tick tries again.
  const timer = setInterval(() => (running = tick().catch(() => {})), 1_000);
  return {
    answered: () => answered,
    busy: async () => (await runtime.tasks.listOpen()).length > 0 || (await runtime.tasks.unresumed()).length > 0,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
