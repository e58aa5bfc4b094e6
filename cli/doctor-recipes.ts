/**
 * `ferry doctor`'s recipe check: loads this repository's recipes and each project dir's
 * (`FERRY_PROJECT_DIRS`), and fails once per file that did not load, naming it and its error.
 */
import type { FerryConfig } from '../runner/config.ts';
import { loadRecipes } from '../runner/define/registry.ts';
import type { DoctorCheck } from './doctor.ts';

export async function recipeChecks(config: FerryConfig): Promise<DoctorCheck[]> {
  const fix = 'fix the file (see the error), or move it out of recipes/';
  try {
    const registry = await loadRecipes(config.projectDirs);
    const loaded = registry.all().map((recipe) => recipe.id);
    return [
      { name: 'recipes', ok: loaded.length > 0, detail: loaded.length > 0 ? `${loaded.length} loaded: ${loaded.join(', ')}` : 'no recipe loaded', fix },
      ...registry.broken().map((broken) => ({ name: `recipe ${broken.file}`, ok: false, detail: `did not load: ${broken.error}`, fix })),
    ];
  } catch (error) {
    return [{ name: 'recipes', ok: false, detail: (error as Error).message, fix: 'give each recipe file a name of its own across this repository and FERRY_PROJECT_DIRS' }];
  }
}
