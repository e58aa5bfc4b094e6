/**
 * An integrator's project dir (`FERRY_PROJECT_DIRS`) in a temporary folder outside the
 * repository: its own tiny bot and recipes that import Ferry as `ferry`, and recipes that are
 * broken on purpose.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A bot that needs no system: it never logs in and has no pages. */
const TINY_BOT = `import { defineBot } from 'ferry';

export default defineBot({
  id: 'tiny', title: 'Tiny system', maxSessions: 1,
  login: 'none',
  isLoggedOut: () => false,
  pages: () => ({}),
});
`;

/** A recipe on the tiny bot; its steps touch no page. */
export const goodRecipe = (id: string) => `import { defineRecipe, z } from 'ferry';
import tiny from '../bots/tiny/index.ts';

export default defineRecipe({
  id: '${id}', title: 'Tiny copy', bots: { target: tiny }, target: 'target',
  input: z.object({ n: z.string() }), key: (input) => input.n, manualMinutes: 1,
  read: async ({ input }) => input.n,
  find: async () => null,
  write: async ({ record }) => \`TINY-\${record}\`,
});
`;

/** The files of a project dir, by path under it. */
export type ProjectFiles = Record<string, string>;

/** A project dir with the tiny bot, one good recipe, one that imports a missing package and one that exports a wrong id. */
export const MIXED_PROJECT: ProjectFiles = {
  'bots/tiny/index.ts': TINY_BOT,
  'recipes/tiny-copy.ts': goodRecipe('tiny-copy'),
  'recipes/broken-import.ts': `import 'some-package-not-installed';\n${goodRecipe('broken-import')}`,
  'recipes/bad-id.ts': goodRecipe('other-id'),
};

/** Writes `files` (and a package.json of ES modules, unless `files` has one) into a new temporary folder; returns its path. */
export function makeProjectDir(files: ProjectFiles): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-project-'));
  mkdirSync(join(dir, 'recipes'), { recursive: true });
  for (const [path, text] of Object.entries({ 'package.json': '{ "type": "module" }\n', ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
