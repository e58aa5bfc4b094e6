/**
 * What every route of the dashboard shares: the runtime and the services built on it,
 * and the type additions to Fastify (the route's access rule, the signed-in user, session fields).
 */
import type { AuditLog } from '../runner/access/audit.ts';
import type { BatchDesk } from '../runner/batch/batch-desk.ts';
import type { OpsActions } from '../runner/run/ops-actions.ts';
import type { Runtime } from '../runner/runtime.ts';
import type { Role, User, UserStore } from '../runner/access/users.ts';
import type { Language, Translate } from './i18n/index.ts';
import type { Reachability } from './reachability.ts';

/** Who may call a route: anyone, or a signed-in user with at least this role. */
export type Access = 'public' | Role;

export interface DashboardContext {
  runtime: Runtime;
  users: UserStore;
  audit: AuditLog;
  ops: OpsActions;
  /** Batch files: upload, check, queue, progress and the workbooks. */
  batches: BatchDesk;
  reachability: Reachability;
  /** Minutes a session lives without a request. */
  idleMinutes: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The signed-in user (set on every non-public route). */
    user?: User;
    language: Language;
    t: Translate;
    /** Open questions waiting on the signed-in user (set on pages, for the header). */
    waitingTasks?: number;
  }
  interface Session {
    user?: string;
    /** Run ids this session triggered, so a clerk also sees a run another clerk started first. */
    runs?: string[];
    /** A one-time message for the next page. */
    flash?: string;
    /** Why the last answer to a task was refused, shown once beside its form. */
    answerError?: { task: string; message: string };
  }
}
