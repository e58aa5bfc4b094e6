/**
 * `ferry secrets set <bot>` as a person uses it: at a terminal (a real pty, through
 * util-linux `script`) the typed password is not echoed, and a bot no recipe uses is refused.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FERRY_BIN } from '../cli/ferry-process.ts';
import { useFerry } from './support/ferry.ts';
import { runFerry } from './support/ferry-cli.ts';

const ferry = useFerry({ workers: 0 });
const PASSWORD = 'typed-at-the-terminal-7';

/** Runs `command` on a pseudo-terminal; types `input` once the prompt shows; resolves with all the terminal showed. */
function onTerminal(command: string, env: Record<string, string>, prompt: string, input: string): Promise<{ code: number; screen: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!typed && screen.includes(prompt)) {
        typed = true;
        child.stdin.write(input);
      }
    });
    child.on('close', (code) => resolve({ code: code ?? 1, screen }));
  });
}

/** Runs `ferry <args>` with `input` piped to standard input. */
function withInput(args: string[], env: Record<string, string>, input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FERRY_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    child.stdin.end(input);
  });
}

describe('ferry secrets set', () => {
  it('does not echo a password typed at a terminal, and stores it', async () => {
    const command = `${process.execPath} ${FERRY_BIN} secrets set medical-insurance --user clerk01`;
    const { code, screen } = await onTerminal(command, ferry().env, 'then Enter', `${PASSWORD}\r`);
    expect(code).toBe(0);
    expect(screen).toContain('stored the credentials of medical-insurance');
    expect(screen).not.toContain(PASSWORD);
    expect(await ferry().runtime.credentials.get('medical-insurance')).toEqual({ username: 'clerk01', password: PASSWORD });
  });

  it('refuses a bot that no recipe uses, naming the known ones', async () => {
    const result = await runFerry(['secrets', 'set', 'no-such-bot', '--user', 'x'], ferry().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown bot "no-such-bot"');
    expect(result.stderr).toContain('medical-insurance');
    await expect(ferry().runtime.credentials.get('no-such-bot')).rejects.toThrow('No credentials');
  });

  describe('with --http, for a system that asks for one account at the HTTP layer and another in its form', () => {
    it('stores the HTTP-auth account beside the form account, and keeps it when the form account changes', async () => {
      const { credentials } = ferry().runtime;
      expect((await withInput(['secrets', 'set', 'acceptance', '--user', 'clerk02'], ferry().env, 'form-pass\n')).code).toBe(0);
      const http = await withInput(['secrets', 'set', 'acceptance', '--http', '--user', 'gateway'], ferry().env, 'gw-pass\n');
      expect(http.stderr).toContain('stored the HTTP-auth credentials of acceptance');
      expect(await credentials.get('acceptance')).toEqual({ username: 'clerk02', password: 'form-pass', http: { username: 'gateway', password: 'gw-pass' } });
      expect((await withInput(['secrets', 'set', 'acceptance', '--user', 'clerk03'], ferry().env, 'new-pass\n')).code).toBe(0);
      expect(await credentials.get('acceptance')).toEqual({ username: 'clerk03', password: 'new-pass', http: { username: 'gateway', password: 'gw-pass' } });
    });

    it('refuses an HTTP-auth account for a bot with no main account yet, saying what to store first', async () => {
      await ferry().runtime.redis.del(ferry().runtime.keys.credentials('residence'));
      const result = await withInput(['secrets', 'set', 'residence', '--http', '--user', 'gateway'], ferry().env, 'gw-pass\n');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Store the main account of residence first');
    });

    it('still reads credentials stored before the HTTP-auth account existed', async () => {
      const { runtime } = ferry();
      await runtime.redis.set(runtime.keys.credentials('medical-insurance'), runtime.secrets.seal('{"username":"ybjb01","password":"Yb@2005jb"}'));
      expect(await runtime.credentials.get('medical-insurance')).toEqual({ username: 'ybjb01', password: 'Yb@2005jb' });
    });
  });
});
