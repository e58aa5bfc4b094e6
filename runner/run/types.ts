/** The data a run job carries and the outcome it ends with. */
import type { LedgerState } from '../ledger/ledger.ts';

/**
 * Who triggered a run, typed by where the name comes from, so a dashboard user and an OS
 * user of the same name are never taken for one another.
 */
export type TriggerIdentity = `dashboard:${string}` | `cli:${string}` | `schedule:${string}`;

/** Builds a {@link TriggerIdentity}: a dashboard user, an OS user at the CLI, or a recipe's schedule. */
export const triggeredBy = {
  dashboard: (user: string): TriggerIdentity => `dashboard:${user}`,
  cli: (osUser: string): TriggerIdentity => `cli:${osUser}`,
  schedule: (recipe: string): TriggerIdentity => `schedule:${recipe}`,
};

/** Who or what triggered a run: a person for one record (`staff`, `cli`, `ops`), a batch, or a schedule's sync. */
export interface RunTrigger {
  via: 'cli' | 'staff' | 'schedule' | 'ops' | 'batch';
  by: TriggerIdentity;
}

/**
 * The BullMQ priority of a run by how it was triggered (1 to 2,097,151; a lower number goes first). A job
 * with no priority (0) runs before every prioritized one, so a person waiting for one
 * record (a window clerk, `ferry run`, an ops retry) never waits behind a backlog; a batch
 * comes next, and a sync's fan-out last, so a 3,000-record night never starves a morning
 * clerk. Retries keep their run's priority (BullMQ keeps it on the job).
 */
export const RUN_PRIORITY: Record<RunTrigger['via'], number> = { staff: 0, cli: 0, ops: 0, batch: 1_000, schedule: 2_097_151 };

/** BullMQ job data of a run: the input only (usually a case number), never the personal record. */
export interface RunJobData {
  recipe: string;
  input: unknown;
  keyId: string;
  trigger: RunTrigger;
  /** Set on the run of a row a sync listed but could not read: the reason it is rejected with, at once. */
  unreadable?: string;
  /** The clerk asked to confirm the record before it is entered (a recipe with `confirm: 'trigger'`). */
  confirm?: boolean;
  /** When it was queued, in microseconds, strictly increasing within the process that queued it: a recipe with `concurrency` takes its runs in this order. */
  queuedAt?: number;
}

/** How a run ended. */
export interface RunOutcome {
  state: LedgerState;
  receipt?: string;
  /** False when the record was already in the target (found, not written). */
  created?: boolean;
  reason?: string;
  /** The run's evidence folder: documents the recipe kept, and what a failure left. */
  evidence?: string;
  /** The task a WAITING_FOR_PERSON run waits on. */
  task?: string;
}

/** The steps a person watching a run sees. */
export type RunStep = 'reading' | 'checking' | 'entering' | 'verifying';

/** BullMQ job states of a job waiting in its queue, not yet taken by a worker. */
export const QUEUED_JOB_STATES: readonly string[] = ['waiting', 'prioritized', 'delayed', 'waiting-children'];
/** BullMQ job states of a job queued or running: neither finished nor failed. */
export const LIVE_JOB_STATES: readonly string[] = ['active', ...QUEUED_JOB_STATES];
