/** Option parsing shared by the `bench` subcommands. */
import { InputError } from '../../../errors.ts';

/** Parses a flag's value as a whole number ≥ 1, or throws an InputError naming the flag. */
export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}
