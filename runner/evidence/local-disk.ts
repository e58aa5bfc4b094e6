/**
 * Evidence on the worker's own disk: an owner-only folder per run under `<data dir>/evidence`,
 * files 0600. Symbolic links in the evidence dir are never followed. The manifest is plain
 * JSON, as it has always been (a masked reason and file names).
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { EvidenceManifest, EvidenceStorage } from './evidence-storage.ts';

/** Reads a regular file, refusing a symbolic link (O_NOFOLLOW) and anything not a file. */
async function readNoFollow(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${path} is not a file`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Deletes the entries of `dir` last modified before `before`; returns how many. A missing dir has none. */
export async function sweepDir(dir: string, before: number): Promise<number> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const entry of entries) {
    const path = join(dir, entry);
    const { mtimeMs } = await lstat(path);
    if (mtimeMs < before) {
      await rm(path, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** Evidence folders under one local dir. */
export class LocalDiskStorage implements EvidenceStorage {
  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  /** Clear trace chunks are written beside the folders, so they never leave the owner-only dir. */
  get scratchDir(): string {
    return this.dir;
  }

  async newFolder(runId: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const folder = join(this.dir, `${runId}-${Date.now()}`);
    await mkdir(folder, { mode: 0o700 });
    return folder;
  }

  /** Writes a new owner-only file, never through an existing file or link. */
  async put(folder: string, file: string, sealed: Buffer): Promise<void> {
    await writeFile(join(folder, file), sealed, { mode: 0o600, flag: 'wx' });
  }

  async get(folder: string, file: string): Promise<Buffer | null> {
    return (await this.isFolder(folder)) ? readNoFollow(join(folder, file)).catch(() => null) : null;
  }

  async putManifest(folder: string, manifest: EvidenceManifest): Promise<void> {
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
  }

  async getManifest(folder: string): Promise<EvidenceManifest | null> {
    if (!(await this.isFolder(folder))) return null;
    const manifest = await readNoFollow(join(folder, 'manifest.json')).catch(() => null);
    return manifest ? (JSON.parse(manifest.toString('utf8')) as EvidenceManifest) : null;
  }

  async sweep(before: number): Promise<number> {
    return sweepDir(this.dir, before);
  }

  /** Whether `folder` is a real folder (not a link) right under the evidence dir. */
  private async isFolder(folder: string): Promise<boolean> {
    const root = resolve(this.dir);
    if (!resolve(folder).startsWith(root + sep) || resolve(folder, '..') !== root) return false;
    return (await lstat(folder).catch(() => null))?.isDirectory() ?? false;
  }
}
