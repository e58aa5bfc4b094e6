/** Parsing of command-line option values shared by the commands. */
import { InputError } from '../runner/errors.ts';
import { IsoDate } from '../runner/validate/date.ts';

/** `value` as a whole number ≥ `min`, or an InputError naming the flag. */
export function positiveInt(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${flag} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** `value` as a calendar date `YYYY-MM-DD`, or an InputError naming the flag. */
export function isoDate(value: string, flag: string): string {
  const parsed = IsoDate.safeParse(value);
  if (!parsed.success) throw new InputError(`${flag} must be a date YYYY-MM-DD, not "${value.slice(0, 40)}"`);
  return parsed.data;
}
