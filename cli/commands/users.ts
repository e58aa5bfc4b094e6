/**
 * `ferry users add <name> --role staff|ops|admin`, `ferry users list`, `ferry users remove <name>`:
 * dashboard accounts. A piped password is read from standard input; otherwise one is
 * generated and printed once. Each change is audited as `cli:<os user>`.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { auditLogOf, type AuditLog } from '../../runner/access/audit.ts';
import { config } from '../../runner/config.ts';
import { openRuntime, type Runtime } from '../../runner/runtime.ts';
import { generatePassword, UserStore } from '../../runner/access/users.ts';
import { note, printJson, say } from '../output.ts';

/** The first line of a piped standard input; empty when stdin is a terminal or empty. */
async function pipedPassword(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function withUsers<T>(act: (users: UserStore, audit: AuditLog, runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
  try {
    return await act(new UserStore(runtime.redis, runtime.keys), auditLogOf(runtime), runtime);
  } finally {
    await runtime.close();
  }
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('dashboard accounts: staff, ops and admins');
  const who = `cli:${userInfo().username}`;
  users
    .command('add <name>')
    .description('add a user; the password comes from standard input, or is generated and printed')
    .requiredOption('--role <role>', 'staff, ops or admin')
    .option('--json', 'print {"user", "role", "password"?} as JSON')
    .action(async (name: string, options) => {
      const typed = await pipedPassword();
      const password = typed || generatePassword();
      await withUsers(async (store, audit) => {
        try {
          await store.add(name, options.role, password, who);
        } catch (error) {
          await audit.record({ who, action: 'user-add', target: name, outcome: 'failed', detail: (error as Error).message });
          throw error;
        }
        await audit.record({ who, action: 'user-add', target: name, outcome: 'ok', detail: options.role });
      });
      if (options.json) printJson({ user: name, role: options.role, ...(typed ? {} : { password }) });
      say(options.json, typed ? `added ${name} (${options.role})` : `added ${name} (${options.role}); password: ${password}  (shown once)`);
    });
  users
    .command('list')
    .description('every user and role')
    .option('--json', 'print the users as JSON')
    .action(async (options) => {
      const list = await withUsers((store) => store.list());
      if (options.json) printJson({ users: list });
      for (const user of list) say(options.json, `${user.name.padEnd(20)} ${user.role.padEnd(6)} added by ${user.createdBy}`);
    });
  users
    .command('remove <name>')
    .description('delete a user')
    .action(async (name: string) => {
      await withUsers(async (store, audit) => {
        await store.remove(name);
        await audit.record({ who, action: 'user-remove', target: name, outcome: 'ok' });
      });
      say(false, `removed ${name}`);
    });
}
