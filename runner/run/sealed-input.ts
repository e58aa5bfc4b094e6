/**
 * The input of a recipe with `sealedInput` (a whole record from a list: names, ID numbers) is
 * kept in the queue and the run history sealed with the secret key, as `{ sealed: 'v1.…' }`;
 * only the executor opens it, for the recipe's steps.
 */
import type { Recipe } from '../define/recipe.ts';
import type { SecretBox } from '../access/secrets.ts';
import { InputError } from '../errors.ts';

/** An input as a sealed-input recipe's job carries it. */
export interface SealedInput {
  sealed: string;
}

/** True for a `{ sealed }` envelope. */
export function isSealedInput(value: unknown): value is SealedInput {
  return typeof value === 'object' && value !== null && typeof (value as SealedInput).sealed === 'string' && Object.keys(value).length === 1;
}

/** Seals a checked input for the queue. */
export function sealInput(input: unknown, secrets: SecretBox): SealedInput {
  return { sealed: secrets.seal(JSON.stringify(input)) };
}

/**
 * The input a recipe's steps see: a sealed-input recipe's envelope opened, any other input as
 * it is. An envelope that will not open (another key) fails loudly, naming the key.
 */
export function openInput(recipe: Recipe, stored: unknown, secrets: SecretBox): unknown {
  if (!recipe.sealedInput) return stored;
  if (!isSealedInput(stored)) throw new InputError(`recipe ${recipe.id} takes a sealed input, and this run's input is not sealed`);
  return JSON.parse(secrets.openBytes(Buffer.from(stored.sealed.replace(/^v1\./, ''), 'base64'), 'The run\'s sealed input').toString('utf8'));
}
