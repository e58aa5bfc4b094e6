/**
 * Recipe discovery: every `recipes/<id>.ts` (tests aside) default-exports a recipe whose
 * id equals its file name.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Recipe } from './recipe.ts';
import { InputError } from '../errors.ts';

/** The repository's `recipes/` folder. */
export const RECIPES_DIR = join(import.meta.dirname, '..', '..', 'recipes');

/** Loaded recipes by id. */
export class RecipeRegistry {
  constructor(private readonly recipes: Map<string, Recipe>) {}

  /** The recipe with this id; an InputError naming the known ones otherwise. */
  get(id: string): Recipe {
    const recipe = this.recipes.get(id);
    if (!recipe) throw new InputError(`Unknown recipe "${id}". Known recipes: ${[...this.recipes.keys()].join(', ')}.`);
    return recipe;
  }

  all(): Recipe[] {
    return [...this.recipes.values()];
  }

  /** The id of every bot some recipe uses, sorted, each once. */
  botIds(): string[] {
    return [...new Set(this.all().flatMap((recipe) => Object.values(recipe.bots).map((bot) => bot.id)))].sort();
  }
}

/** Imports every recipe file in `dir`. */
export async function loadRecipes(dir = RECIPES_DIR): Promise<RecipeRegistry> {
  const recipes = new Map<string, Recipe>();
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  for (const file of files) {
    const recipe = (await import(pathToFileURL(join(dir, file)).href)).default as Recipe;
    const id = basename(file, '.ts');
    if (recipe?.id !== id) throw new Error(`recipes/${file} must default-export a recipe with id "${id}"`);
    recipes.set(id, recipe);
  }
  return new RecipeRegistry(recipes);
}
