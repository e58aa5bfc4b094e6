/**
 * The bare specifier `ferry` for recipes and bots outside this repository
 * (`FERRY_PROJECT_DIRS`): `import { defineRecipe, z } from 'ferry'` resolves to this
 * checkout's `runner/index.ts`, the same module the runner itself uses, wherever the project
 * dir lies. A Node resolve hook, registered once before project recipes load; tests run under
 * vitest get the same through the alias in `vitest.config.ts`.
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file `ferry` names: Ferry's public entry. */
export const FERRY_ENTRY = join(import.meta.dirname, '..', 'index.ts');

let registered = false;

/** Makes `import … from 'ferry'` resolve to {@link FERRY_ENTRY} in this process (idempotent). */
export function registerFerrySpecifier(): void {
  if (registered) return;
  registered = true;
  const url = JSON.stringify(pathToFileURL(FERRY_ENTRY).href);
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === 'ferry' ? { url: ${url}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
