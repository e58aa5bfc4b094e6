/**
 * 统一社会信用代码 (unified social credit code) per GB 32100-2015: 18 characters from
 * a 31-character alphabet (no I, O, S, V, Z), the last a check character.
 */
import type { z } from 'zod';
import { maskText } from '../access/mask.ts';
import { type Checked, checkedString } from './checked-string.ts';
import { toHalfWidth } from './half-width.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Registration authority and kind, a 6-digit region code, the 9-character organisation code, the check character. */
const SHAPE = /^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

/** The GB 32100 check character for the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** True when `code` is 18 characters of the right shape with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  return SHAPE.test(code) && creditCodeCheckCharacter(code) === code[17];
}

function checkCreditCode(text: string): Checked<string> {
  const code = toHalfWidth(text).replace(/\s/g, '').toUpperCase();
  // A credit code is public, but an ID number typed into its field must not be echoed.
  const shown = maskText(code);
  if (!SHAPE.test(code)) {
    return { problem: `统一社会信用代码"${shown}"应为18位数字或大写字母，不含I、O、S、V、Z (a credit code is 18 digits or capitals without I, O, S, V, Z)` };
  }
  if (!isValidCreditCode(code)) return { problem: `统一社会信用代码"${shown}"校验码错误 (the credit code's check character is wrong)` };
  return { value: code };
}

/** A 统一社会信用代码, output upper-case and half-width. Messages show the code, masked when it looks like an ID number. */
export const CreditCode = checkedString(checkCreditCode);
export type CreditCode = z.infer<typeof CreditCode>;
