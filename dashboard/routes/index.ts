/** Every page and API route of the dashboard, one file per page; the tasks first, as their hook counts the questions for every page's header. */
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.ts';
import { registerAlerts } from './alerts.ts';
import { registerAudit } from './audit.ts';
import { registerAuth } from './auth.ts';
import { registerBatches } from './batches.ts';
import { registerOps } from './ops.ts';
import { registerOpsRun } from './ops-run.ts';
import { registerOverview } from './overview.ts';
import { registerStaff } from './staff.ts';
import { registerTasks } from './tasks.ts';
import { registerUsers } from './users.ts';

export function registerRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  for (const register of [registerTasks, registerAuth, registerStaff, registerBatches, registerOps, registerOpsRun, registerOverview, registerAudit, registerUsers, registerAlerts]) register(app, ctx);
}
