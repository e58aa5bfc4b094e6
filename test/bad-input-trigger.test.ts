/**
 * Bad input at the trigger, from `ferry run` as a real child process and from the staff
 * form: each gets a message naming the problem, and no job reaches the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { InputError } from '../runner/errors.ts';
import { triggerRun } from '../runner/run/trigger.ts';
import { UserStore } from '../runner/access/users.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'a-long-test-password';
const STACK_LINE = /\n\s+at /;
const ferry = useFerry({ workers: 0, fixtures: { applicants: 50, faults: { captcha: false } } });
let dashboard: RunningDashboard;
const clerk = () => new DashboardClient(dashboard.url);

beforeAll(async () => {
  await new UserStore(ferry().runtime.redis, ferry().runtime.keys).add('clerk', 'staff', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

async function jobsInQueue(): Promise<number> {
  const counts = await ferry().runtime.queue.getJobCounts();
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

async function ferryRun(recipe: string, input: string) {
  return runFerry(['run', recipe, '--input', input], ferry().env);
}

describe('ferry run', () => {
  it.each([
    { what: 'malformed JSON', recipe: RECIPE, input: '{bad', says: /input is not valid JSON: .*position 1/ },
    { what: 'an unknown recipe', recipe: 'no-such-recipe', input: '{"caseNo":"SL2026030100001"}', says: /Unknown recipe "no-such-recipe"\. Known recipes: flexible-worker-enrollment/ },
    { what: 'a case number that fails the schema', recipe: RECIPE, input: '{"caseNo":"SL12"}', says: /caseNo: 受理编号为 SL 加 13 位数字/ },
  ])('refuses $what with exit code 2 and a one-line reason, and enqueues nothing', async ({ recipe, input, says }) => {
    const result = await ferryRun(recipe, input);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
    expect(await jobsInQueue()).toBe(0);
  });

  it('refuses a 120 KB input (near the 128 KB the OS allows one argument) naming the fields, without echoing them back', async () => {
    const huge = 'S'.repeat(60_000);
    const result = await ferryRun(RECIPE, JSON.stringify({ caseNo: huge, [huge]: 1 }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not fit recipe "flexible-worker-enrollment": caseNo: 受理编号为 SL 加 13 位数字.*; input: Unrecognized key/);
    expect(result.stderr.length).toBeLessThan(1000);
    expect(await jobsInQueue()).toBe(0);
  });
});

describe('a key with a character BullMQ forbids in job ids', () => {
  it('is refused with a reason naming ":" rather than stored under a different id', async () => {
    const recipe = { ...ferry().runtime.recipes.get(RECIPE), input: z.object({ ref: z.string() }), key: (input: { ref: string }) => input.ref };
    const options = { trigger: { via: 'cli' as const, by: 'cli:test' as const }, hash: (value: string) => value, attempts: 1 };
    const refused = triggerRun(ferry().runtime.queue, recipe as never, { ref: '2026:00001' }, options);
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow('contains ":", which BullMQ forbids in job ids');
    expect(await jobsInQueue()).toBe(0);
  });
});

describe('the staff form', () => {
  it('refuses an unknown recipe with a message on the page, and enqueues nothing', async () => {
    const client = clerk();
    await client.logIn('clerk', PASSWORD);
    const response = await client.send('POST', '/staff/runs', { recipe: 'no-such-recipe', key: 'SL2026030100001' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('请选择一个事项');
    expect(await jobsInQueue()).toBe(0);
  });

  it('refuses a 1 MB case number before reading it, and enqueues nothing', async () => {
    const client = clerk();
    await client.logIn('clerk', PASSWORD);
    const response = await client.send('POST', '/staff/runs', { recipe: RECIPE, key: 'S'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('表单内容超过 64 KB，未被受理');
    expect(await jobsInQueue()).toBe(0);
  });
});
