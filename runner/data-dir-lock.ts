/**
 * One owner per data dir: a command that resets or seeds what a data dir holds (the demo
 * wipes its namespace) first takes `<data dir>/owner.lock`, holding the owner's pid and
 * command. The file is written aside and hard-linked into place, which fails when it exists,
 * so it appears whole or not at all. A lock whose pid no longer runs is stale and taken over.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Raised when another live process owns the data dir; names it, so a person can stop it. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; command: string },
  ) {
    super(`The data dir ${dataDir} is in use by \`${holder.command}\` (pid ${holder.pid}). Stop that process first, or set FERRY_DATA_DIR to another directory.`);
    this.name = 'DataDirInUseError';
  }
}

/** A held lock. */
export interface DataDirLock {
  /** Removes the lock file, if it is still this process's. */
  release(): void;
}

/** True while a process with this pid runs on this machine (also one of another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's text, or undefined when there is none. */
function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Takes the exclusive lock on `dataDir` for `command` (e.g. `ferry demo`).
 * @throws DataDirInUseError when a live process holds it.
 */
export function lockDataDir(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'owner.lock');
  // The token tells this owner's file from a later owner's with the same pid.
  const mine = JSON.stringify({ pid: process.pid, command, token: randomBytes(8).toString('hex') });
  for (let attempt = 0; attempt < 3; attempt++) {
    const aside = `${path}.${process.pid}`;
    writeFileSync(aside, mine, { mode: 0o600 });
    try {
      linkSync(aside, path);
      return { release: () => void (readLock(path) === mine && rmSync(path, { force: true })) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
    const held = readLock(path);
    const holder = held === undefined ? undefined : (JSON.parse(held) as { pid: number; command: string });
    if (holder && isRunning(holder.pid)) throw new DataDirInUseError(dataDir, holder);
    // Stale (its owner is gone): remove it only if it is still the file just read.
    if (held !== undefined && readLock(path) === held) rmSync(path, { force: true });
  }
  throw new DataDirInUseError(dataDir, { pid: 0, command: 'another ferry process starting at the same moment' });
}
