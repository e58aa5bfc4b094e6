/** Parsing of command-line option values shared by the commands. */
import { InputError } from '../runner/errors.ts';

/** `value` as a whole number ≥ `min`, or an InputError naming the flag. */
export function positiveInt(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}
