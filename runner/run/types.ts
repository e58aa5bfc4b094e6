/** The data a run job carries and the outcome it ends with. */
import type { LedgerState } from '../ledger/ledger.ts';

/** Who or what triggered a run: a person for one record (`staff`, `cli`, `ops`), a batch, or a schedule's sync. */
export interface RunTrigger {
  via: 'cli' | 'staff' | 'schedule' | 'ops' | 'batch';
  /** A user name, or the sync's id. */
  by: string;
}

/** BullMQ job data of a run: the input only (usually a case number), never the personal record. */
export interface RunJobData {
  recipe: string;
  input: unknown;
  keyId: string;
  trigger: RunTrigger;
  /** Set on the run of a row a sync listed but could not read: the reason it is rejected with, at once. */
  unreadable?: string;
}

/** How a run ended. */
export interface RunOutcome {
  state: LedgerState;
  receipt?: string;
  /** False when the record was already in the target (found, not written). */
  created?: boolean;
  reason?: string;
}

/** The steps a person watching a run sees. */
export type RunStep = 'reading' | 'checking' | 'entering' | 'verifying';
