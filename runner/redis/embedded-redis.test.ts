/**
 * The embedded Redis against a real redis-server: only its owner can reach it, its password
 * stays in an owner-only file, dangerous commands are refused, and when it dies the process
 * that started it brings it back from its AOF while connections carry on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from './connect.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.ts';
import { redisOptions } from './redis-url.ts';

const NOBODY = '65534';
let dataDir = '';
let embedded: EmbeddedRedis;
let client: Redis;
const notices: string[] = [];

const redisDir = () => join(dataDir, 'redis');
const serverPid = () => Number(readFileSync(join(redisDir(), 'redis.pid'), 'utf8'));
const password = () => redisOptions(embedded.url).password!;
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ferry-embedded-'));
  embedded = await startEmbeddedRedis(dataDir, { onNotice: (message) => notices.push(message) });
  client = connectRedis(embedded.url);
});

afterAll(async () => {
  client?.disconnect();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded Redis', () => {
  it('listens on a unix socket in an owner-only dir, and on no TCP port', async () => {
    expect(new URL(embedded.url).protocol).toBe('unix:');
    expect(mode(redisDir())).toBe('700');
    expect(mode(join(redisDir(), 'password'))).toBe('600');
    const listeners = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
    expect(listeners).not.toContain(`pid=${serverPid()},`);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses another OS user: permission denied on the socket', () => {
    const socket = join(redisDir(), 'redis.sock');
    const probe = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'redis-cli', '-s', socket, 'PING'], { encoding: 'utf8' });
    expect(`${probe.stdout}${probe.stderr}`).toMatch(/Permission denied/);
    expect(`${probe.stdout}${probe.stderr}`).not.toContain('PONG');
  });

  it('wants the password, which is neither in ps output nor in its config file', async () => {
    const socket = join(redisDir(), 'redis.sock');
    expect(execFileSync('redis-cli', ['-s', socket, 'PING'], { encoding: 'utf8' })).toMatch(/NOAUTH/);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(password());
    expect(readFileSync(join(redisDir(), 'redis.conf'), 'utf8')).not.toContain(password());
  });

  it('refuses Ferry itself the commands that could wipe data or switch off durability', async () => {
    await client.set('kept', 'yes');
    for (const command of [['CONFIG', 'SET', 'appendfsync', 'no'], ['FLUSHALL'], ['FLUSHDB'], ['DEBUG', 'SLEEP', '0'], ['SHUTDOWN', 'NOSAVE'], ['REPLICAOF', '127.0.0.1', '1']]) {
      await expect(client.call(command[0], ...command.slice(1)), command.join(' ')).rejects.toThrow(/NOPERM|not allowed/);
    }
    expect(await client.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
    expect(await client.get('kept')).toBe('yes');
  });
});

describe('when the embedded Redis is killed with SIGKILL', () => {
  it('its owner says so, restarts it from its AOF, and an open connection carries on', async () => {
    await client.set('before-kill', 'entered');
    const pid = serverPid();
    process.kill(pid, 'SIGKILL');
    await until('the restart notice', () => notices.some((notice) => notice.includes('is back')));
    expect(notices[0]).toContain(`the embedded Redis (pid ${pid}) stopped (SIGKILL); restarting it from its AOF`);
    expect(serverPid()).not.toBe(pid);
    expect(await client.get('before-kill')).toBe('entered');
    await client.set('after-restart', 'entered');
    expect(await client.get('after-restart')).toBe('entered');
  });

  it('keeps its password across the restart, and a second start on the data dir reuses it', async () => {
    const second = await startEmbeddedRedis(dataDir);
    expect(second.owned).toBe(false);
    expect(second.url).toBe(embedded.url);
  });
});

describe('when the data dir path is too long for a unix socket', () => {
  it('refuses to start, naming the limit and FERRY_DATA_DIR', async () => {
    const deep = join(dataDir, 'd'.repeat(120));
    await expect(startEmbeddedRedis(deep)).rejects.toThrow(/over the limit of 107: set FERRY_DATA_DIR to a shorter path/);
  });
});
