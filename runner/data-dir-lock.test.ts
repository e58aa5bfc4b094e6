import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the owner lock of a data dir', () => {
  it('refuses a second owner while the first lives, naming its pid and command', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'ferry demo');
    expect(() => lockDataDir(dir, 'ferry demo')).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir, 'ferry demo')).toThrow(`\`ferry demo\` (pid ${process.pid})`);
    lock.release();
    expect(existsSync(join(dir, 'owner.lock'))).toBe(false);
    lockDataDir(dir, 'ferry demo').release();
  });

  it('takes over a lock whose process has gone', () => {
    const dir = freshDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    writeFileSync(join(dir, 'owner.lock'), JSON.stringify({ pid: gone, command: 'ferry demo' }));
    const lock = lockDataDir(dir, 'ferry demo');
    expect(JSON.parse(readFileSync(join(dir, 'owner.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('on release, leaves alone a lock that another owner holds by then', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'ferry demo');
    rmSync(join(dir, 'owner.lock'));
    writeFileSync(join(dir, 'owner.lock'), JSON.stringify({ pid: 1, command: 'ferry demo' }));
    lock.release();
    expect(existsSync(join(dir, 'owner.lock'))).toBe(true);
  });
});
