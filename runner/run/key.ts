/**
 * From a recipe's business key to the ids Ferry stores: the ledger key id and the
 * BullMQ job id. Keys that carry personal data (ID numbers, mobiles, e-mail addresses)
 * are replaced by a keyed hash, so they never sit in Redis in the clear.
 */
import { InputError } from '../errors.ts';
import { findUnmaskedPersonalData, maskText } from '../access/mask.ts';

/** Letters, digits and `. _ - @` (so an e-mail address can be a key); never `:`, which BullMQ forbids. */
const KEY_PATTERN = /^[A-Za-z0-9._@-]{1,100}$/;

/** Checks a key and gives the id it is stored under. `hash` is a keyed hash function. */
export function keyIdOf(key: string, hash: (value: string) => string): string {
  if (key.includes(':')) throw new InputError(`The key "${maskText(key.slice(0, 40))}" contains ":", which BullMQ forbids in job ids.`);
  if (!KEY_PATTERN.test(key)) {
    throw new InputError(`The key "${maskText(key.slice(0, 40))}" must be 1-100 letters, digits, ".", "_", "-" or "@".`);
  }
  return findUnmaskedPersonalData(key).length > 0 ? `h-${hash(key)}` : key;
}

/** The BullMQ job id of a run: one per (recipe, key), so a second trigger finds the first run. */
export function runJobId(recipe: string, keyId: string): string {
  return `${recipe}__${keyId}`;
}

/** The (recipe, key id) a run job id was made from; recipe ids are kebab-case, so the first `__` splits them. */
export function splitRunJobId(jobId: string): { recipe: string; keyId: string } {
  const at = jobId.indexOf('__');
  if (at < 1) throw new Error(`"${jobId}" is not a run job id`);
  return { recipe: jobId.slice(0, at), keyId: jobId.slice(at + 2) };
}
