/**
 * Recipe discovery: every `recipes/<id>.ts` (tests aside) of this repository, then of each
 * project dir (`FERRY_PROJECT_DIRS`), default-exports a recipe whose id equals its file name.
 * A file that fails to import, or exports no valid recipe, is kept aside as broken: the
 * others load, and the broken ones are reported (status, doctor, dashboard, worker log).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bot } from './bot.ts';
import type { Recipe } from './recipe.ts';
import { recipeProblem } from './recipe-check.ts';
import { ConfigError } from '../config.ts';
import { InputError } from '../errors.ts';
import { maskText } from '../access/mask.ts';
import { registerFerrySpecifier } from './ferry-specifier.ts';

/** The repository's `recipes/` folder. */
export const RECIPES_DIR = join(import.meta.dirname, '..', '..', 'recipes');

/** A recipe file that did not load, and why. */
export interface BrokenRecipe {
  /** The id its file name gives it. */
  id: string;
  /** The file's absolute path. */
  file: string;
  /** One line, ID numbers and mobiles masked. */
  error: string;
}

/** A broken recipe as one line for a person: id, file and error. */
export function describeBroken(broken: BrokenRecipe): string {
  return `recipe "${broken.id}" did not load (${broken.file}): ${broken.error}`;
}

/** Loaded recipes by id, and the files that did not load. */
export class RecipeRegistry {
  constructor(private readonly recipes: Map<string, Recipe>, private readonly failed: BrokenRecipe[] = []) {}

  /** The recipe with this id; an InputError saying why it did not load, or naming the known ones. */
  get(id: string): Recipe {
    const recipe = this.recipes.get(id);
    if (recipe) return recipe;
    const broken = this.failed.find((entry) => entry.id === id);
    if (broken) throw new InputError(`recipe "${id}" did not load: ${broken.error}`);
    throw new InputError(`Unknown recipe "${id}". Known recipes: ${[...this.recipes.keys()].join(', ')}.`);
  }

  all(): Recipe[] {
    return [...this.recipes.values()];
  }

  /** The recipe files that failed to import or exported no valid recipe, in load order. */
  broken(): BrokenRecipe[] {
    return [...this.failed];
  }

  /** The id of every bot some recipe uses, sorted, each once. */
  botIds(): string[] {
    return [...new Set(this.all().flatMap((recipe) => Object.values(recipe.bots).map((bot) => bot.id)))].sort();
  }

  /** The bot with this id, as some recipe uses it; an InputError naming the known bots otherwise. */
  bot(id: string): Bot<unknown> {
    const bot = this.all().flatMap((recipe) => Object.values(recipe.bots)).find((candidate) => candidate.id === id);
    if (!bot) throw new InputError(`Unknown bot "${id}". Known bots: ${this.botIds().join(', ')}.`);
    return bot;
  }
}

/** The recipe files of one `recipes/` folder, sorted. */
function recipeFiles(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort().map((file) => join(dir, file));
}

/** One line of an error, masked, at most 500 characters. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const line = text.split('\n').map((part) => part.trim()).find(Boolean) ?? 'unknown error';
  return maskText(line.length > 500 ? `${line.slice(0, 499)}…` : line);
}

/**
 * Imports every recipe file of this repository's `recipes/` and then of each project dir's.
 * Two files with the same id are a ConfigError naming both; a file that fails is listed in
 * {@link RecipeRegistry.broken} and the rest load.
 */
export async function loadRecipes(projectDirs: string[] = [], dir = RECIPES_DIR): Promise<RecipeRegistry> {
  const files = [dir, ...projectDirs.map((project) => join(project, 'recipes'))].flatMap(recipeFiles);
  const seen = new Map<string, string>();
  for (const file of files) {
    const id = basename(file, '.ts');
    const first = seen.get(id);
    if (first) throw new ConfigError(`recipe id "${id}" is defined twice: ${first} and ${file} (check FERRY_PROJECT_DIRS)`);
    seen.set(id, file);
  }
  if (projectDirs.length > 0) registerFerrySpecifier();
  const recipes = new Map<string, Recipe>();
  const broken: BrokenRecipe[] = [];
  for (const file of files) {
    const id = basename(file, '.ts');
    try {
      const recipe = (await import(pathToFileURL(file).href)).default as Recipe;
      const problem = recipeProblem(recipe, id);
      if (problem) throw new Error(problem);
      recipes.set(id, recipe);
    } catch (error) {
      broken.push({ id, file, error: oneLine(error) });
    }
  }
  return new RecipeRegistry(recipes, broken);
}
