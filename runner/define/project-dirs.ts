/**
 * `FERRY_PROJECT_DIRS`: the integrators' folders whose recipes (and bots) load after this
 * repository's, as runner/config.ts parses them: each must exist, hold `recipes/`, and sit
 * under a package.json with `"type": "module"`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The `type` of the package.json nearest to `dir` (Node's rule, which tsx follows for `.ts`), or null when none. */
function packageTypeOf(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json');
    if (existsSync(file)) {
      try {
        return String((JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type ?? 'commonjs');
      } catch {
        return 'unreadable';
      }
    }
    if (dirname(at) === at) return null;
  }
}

/**
 * Why `dir` cannot be a project dir, or null: it must exist, hold a `recipes/` folder, and be
 * inside a package.json with `"type": "module"` (recipes are ES modules).
 */
function projectDirProblem(dir: string): string | null {
  const isDir = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (!isDir(dir)) return `${dir} does not exist or is not a folder`;
  if (!isDir(join(dir, 'recipes'))) return `${dir} has no recipes/ folder`;
  return packageTypeOf(dir) === 'module' ? null : `${dir} needs a package.json with "type": "module" (its recipes are ES modules)`;
}

/** Folders separated by the path delimiter (`:` on Linux), each absolute or relative to the working directory. */
export const ProjectDirs = z.string().transform((text, context) => {
  const dirs = [...new Set(text.split(delimiter).filter(Boolean).map((dir) => resolve(dir)))];
  for (const dir of dirs) {
    const problem = projectDirProblem(dir);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }
  return dirs;
});
