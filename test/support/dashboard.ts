/** The dashboard over a test Ferry, for the dashboard's journeys: started on a free port with its people, closed after. */
import { startDashboard, type DashboardOptions, type RunningDashboard } from '../../dashboard/server.ts';
import enrollment from '../../recipes/flexible-worker-enrollment.ts';
import { UserStore, type Role } from '../../runner/access/users.ts';
import { afterAll, beforeAll } from 'vitest';
import type { FerryHarness, FerryHarnessOptions } from './ferry.ts';

/** The recipe every dashboard journey runs. */
export const RECIPE = enrollment.id;

/** A Ferry whose runs give up after two attempts, one at a time, with the captcha off: what the journeys that run cases start. */
export const JOURNEY_FERRY: FerryHarnessOptions = {
  fixtures: { applicants: 150, faults: { captcha: false } }, concurrency: 1, env: { FERRY_ATTEMPTS: '2' },
};

/** The people of the dashboard journeys, by user name. */
export const PEOPLE = {
  clerk: { role: 'staff', password: 'clerk-password-1' },
  clerk2: { role: 'staff', password: 'clerk-password-2' },
  opsy: { role: 'ops', password: 'ops-password-1' },
  boss: { role: 'admin', password: 'admin-password-1' },
} as const satisfies Record<string, { role: Role; password: string }>;
export type Person = keyof typeof PEOPLE;

export interface TestDashboard extends RunningDashboard {
  users: UserStore;
  /** The absolute URL of `path` on this dashboard. */
  at(path: string): string;
}

/** The id of the run of RECIPE for a case. */
export const runIdOf = (caseNo: string) => `${RECIPE}__${caseNo}`;

/** Adds `people` (PEOPLE unless told) and starts the dashboard once for the file; returns a getter. */
export function useDashboard(
  ferry: () => FerryHarness,
  options: { people?: Record<string, { role: Role; password: string }>; dashboard?: DashboardOptions } = {},
): () => TestDashboard {
  let dashboard: TestDashboard | undefined;
  beforeAll(async () => {
    const { runtime } = ferry();
    const users = new UserStore(runtime.redis, runtime.keys);
    for (const [name, { role, password }] of Object.entries(options.people ?? PEOPLE)) await users.add(name, role, password, 'test');
    const running = await startDashboard(runtime, { port: 0, ...options.dashboard });
    dashboard = { ...running, users, at: (path) => `${running.url}${path}` };
  });
  afterAll(async () => {
    await dashboard?.close();
  });
  return () => {
    if (!dashboard) throw new Error('dashboard not started');
    return dashboard;
  };
}
