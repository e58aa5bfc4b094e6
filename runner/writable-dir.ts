/**
 * Checks that a directory can be used for Ferry's data, without creating it: the nearest
 * part of the path that exists must be a directory in which an entry can be made (tried
 * with a probe directory, made and removed at once). `/proc/x` fails here instead of hanging
 * a recursive mkdir later.
 */
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Why `dir` cannot hold Ferry's data, or null when it can. */
export function writableDirProblem(dir: string): string | null {
  let existing = dir;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) return `${existing} is not a directory`;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(existing) === existing) {
        return `${existing} cannot be read (${(error as NodeJS.ErrnoException).code})`;
      }
      existing = dirname(existing);
    }
  }
  try {
    rmdirSync(mkdtempSync(join(existing, '.ferry-write-check-')));
    return null;
  } catch (error) {
    return `${dir} cannot be created or written (${(error as NodeJS.ErrnoException).code} in ${existing})`;
  }
}
