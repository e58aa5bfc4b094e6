/**
 * A Redis given through REDIS_URL that could lose ledger writes: Ferry refuses to start on it,
 * naming the setting, and exits 2; FERRY_ALLOW_UNSAFE_REDIS=1 lets an operator accept the risk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFerry } from '../cli/ferry-process.ts';
import { parseConfig } from '../runner/config.ts';
import { answersPing } from '../runner/redis/connect.ts';
import { openRuntime } from '../runner/runtime.ts';
import { waitFor } from './support/wait.ts';

let dir = '';
let server: ChildProcess | undefined;
const socket = () => join(dir, 'redis.sock');
const PASSWORD = randomBytes(16).toString('hex');
/** `default` may run every command; `no-config` every command but CONFIG. */
const USERS = [`user default on >${PASSWORD} ~* &* +@all`, `user no-config on >${PASSWORD} ~* &* +@all -config`];
const env = (url: string, extra: Record<string, string> = {}) => ({
  REDIS_URL: url, FERRY_DATA_DIR: join(dir, 'data'), FERRY_SECRET_KEY: randomBytes(32).toString('hex'), FERRY_LOG_LEVEL: 'silent', ...extra,
});
const url = (user = '') => `unix://${socket()}?${new URLSearchParams({ password: PASSWORD, ...(user ? { username: user } : {}) })}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-unsafe-'));
  const config = ['--port', '0', '--unixsocket', socket(), '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
  server = spawn('redis-server', [...config, ...USERS.flatMap((user) => ['--user', ...user.split(' ').slice(1)])], { stdio: 'ignore' });
  await waitFor('redis-server to answer', () => answersPing(url()));
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('when REDIS_URL points at a Redis with appendfsync everysec', () => {
  it('ferry refuses to start, names the setting, and exits 2', async () => {
    const status = spawnFerry(['status'], env(url()));
    const [code] = await once(status, 'exit');
    expect(status.err()).toContain('appendfsync is everysec (Ferry needs appendfsync always)');
    expect(status.err()).not.toContain(PASSWORD);
    expect(code).toBe(2);
  }, 120_000);

  it('opens with FERRY_ALLOW_UNSAFE_REDIS=1, and says what it accepted', async () => {
    const notices: string[] = [];
    const runtime = await openRuntime(parseConfig(env(url(), { FERRY_ALLOW_UNSAFE_REDIS: '1' })), { role: 'test', onRedisNotice: (message) => notices.push(message) });
    await runtime.close();
    expect(notices.join('\n')).toContain('appendfsync is everysec');
  });
});

describe('when Ferry\'s Redis user may not run CONFIG GET', () => {
  it('refuses to start and says how to allow it', async () => {
    await expect(openRuntime(parseConfig(env(url('no-config'))), { role: 'test' })).rejects.toThrow(/CONFIG GET was refused[\s\S]*\+config\|get/);
  });
});
