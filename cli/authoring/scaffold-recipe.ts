/**
 * The files `ferry new recipe` writes: a recipe between two known bots with its input schema,
 * key and the four steps, each step failing as a recipe bug that names itself until it is
 * written, and a test that the recipe loads and checks its input.
 */

/** What the recipe's files are written from. */
export interface RecipeScaffold {
  id: string;
  from: string;
  to: string;
  /** The repository's root as seen from the recipes folder (`..` for `recipes/`). */
  root: string;
  /** The bots folder as seen from the recipes folder (`../bots`). */
  bots: string;
}

const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());

function recipeFile({ id, from, to, root, bots }: RecipeScaffold): string {
  const [source, target] = from === to ? [camel(from), camel(from)] : [camel(from), camel(to)];
  const imports = from === to
    ? `import ${source} from '${bots}/${from}/index.ts';`
    : `import ${source} from '${bots}/${from}/index.ts';\nimport ${target} from '${bots}/${to}/index.ts';`;
  return `/**
 * ${id}: a record read from ${from} and entered into ${to} exactly once. Scaffolded by
 * \`ferry new recipe\`: each step fails as a recipe bug naming itself until it is written.
 */
import { z } from 'zod';
${imports}
import { defineRecipe, RecipeBugError } from '${root}/runner/index.ts';

/** The record as ${to} needs it; check it with parseRecord in read. */
export const Record = z.object({ name: z.string().min(1) });

const notYet = (step: string) => new RecipeBugError(\`recipe ${id}: step \${step} is not written yet\`);

export default defineRecipe({
  id: ${literal(id)},
  title: ${literal(`${id}: ${from} → ${to}`)},
  bots: { source: ${source}, target: ${target} },
  target: 'target',
  // What a person types to start a run; the key names "the same record" across retries.
  input: z.object({ caseNo: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'a case number of letters, digits and dashes') }).strict(),
  key: (input) => input.caseNo,
  manualMinutes: 5,
  async read(): Promise<z.infer<typeof Record>> {
    throw notYet('read');
  },
  async find() {
    throw notYet('find');
  },
  async write() {
    throw notYet('write');
  },
  async verify() {
    throw notYet('verify');
  },
});
`;
}

function testFile({ id, from, to, root }: RecipeScaffold): string {
  return `/** ${id}: it loads as a recipe between ${from} and ${to}, and checks what starts a run. */
import { describe, expect, it } from 'vitest';
import { recipeProblem } from '${root}/runner/define/recipe-check.ts';
import recipe from './${id}.ts';

describe(${literal(`the ${id} recipe`)}, () => {
  it('is a valid recipe writing to ${to}', () => {
    expect(recipeProblem(recipe, ${literal(id)})).toBeNull();
    expect(recipe.bots[recipe.target].id).toBe(${literal(to)});
  });

  it('takes a case number as its key and refuses anything else', () => {
    expect(recipe.key(recipe.input.parse({ caseNo: 'SL-2026-001' }))).toBe('SL-2026-001');
    expect(recipe.input.safeParse({ caseNo: '<script>' }).success).toBe(false);
    expect(recipe.input.safeParse({ caseNo: 'SL-1', extra: 1 }).success).toBe(false);
  });
});
`;
}

/** The recipe's files, by path under the repository's `recipes/` folder. */
export function recipeFiles(scaffold: RecipeScaffold): Record<string, string> {
  return { [`${scaffold.id}.ts`]: recipeFile(scaffold), [`${scaffold.id}.test.ts`]: testFile(scaffold) };
}
