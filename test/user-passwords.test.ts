/**
 * Dashboard passwords: at least 12 characters, not the user name, not one of the most
 * common passwords; through `ferry users add`, the users page and a password reset, while
 * generated passwords (the demo's too) always pass.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../cli/ferry-process.ts';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { checkPassword, generatePassword, UserStore } from '../runner/access/users.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';

const PASSWORD = 'admin-test-password-1';
const ferry = useFerry({ workers: 0 });
let dashboard: RunningDashboard;
let users: UserStore;

beforeAll(async () => {
  users = new UserStore(ferry().runtime.redis, ferry().runtime.keys);
  await users.add('boss', 'admin', PASSWORD, 'test');
  dashboard = await startDashboard(ferry().runtime, { port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
});

/** `ferry <args>` with `input` piped to its standard input. */
function ferryWithInput(args: string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [FERRY_BIN, ...args], { env: { ...process.env, ...ferry().env }, timeout: 150_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
    child.stdin!.end(input);
  });
}

const WEAK: [password: string, reason: string][] = [
  ['short-pw-1', 'at least 12 characters'],
  ['Weakling2026', 'not be the user name'],
  ['password1234', 'most common passwords'],
  ['qwertyqwertyqwerty', 'most common passwords'],
  ['Woaini1314520', 'most common passwords'],
];

describe('ferry users add', () => {
  it.each(WEAK)('refuses %s (%s) with exit 2', async (password, reason) => {
    const result = await ferryWithInput(['users', 'add', 'weakling', '--role', 'staff'], `${password}\n`);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(reason)]);
    expect(await users.get('weakling')).toBeNull();
  });

  it('takes a long, uncommon password', async () => {
    expect((await ferryWithInput(['users', 'add', 'strong', '--role', 'staff'], 'a-sound-long-passphrase\n')).code).toBe(0);
    expect((await users.verify('strong', 'a-sound-long-passphrase'))?.role).toBe('staff');
  });
});

describe('the users page', () => {
  it('refuses a weak password with the reason and adds no one', async () => {
    const admin = new Client(dashboard.url);
    await admin.logIn('boss', PASSWORD);
    for (const [password, reason] of WEAK) {
      const response = await admin.send('POST', '/users', { name: 'weakling', role: 'staff', password });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(reason);
    }
    expect(await users.get('weakling')).toBeNull();
  });

  it('gives a generated password that passes, on adding and on a reset', async () => {
    const admin = new Client(dashboard.url);
    await admin.logIn('boss', PASSWORD);
    const added = await admin.send('POST', '/users', { name: 'newcomer', role: 'staff', password: '' });
    expect(added.status).toBe(200);
    const reset = await admin.send('POST', '/users/newcomer/password');
    const notice = /class="notice secret"[^>]*>([^<]*)</.exec(await reset.text())?.[1] ?? '';
    const shown = /(?<![\w-])[\w-]{16}(?![\w-])/.exec(notice)?.[0];
    expect(shown).toBeDefined();
    expect((await users.verify('newcomer', shown!))?.name).toBe('newcomer');
  });
});

describe('a generated password (the demo uses them)', () => {
  it('always passes the rules', () => {
    for (let i = 0; i < 500; i++) expect(() => checkPassword('demo-clerk', generatePassword())).not.toThrow();
  });
});
