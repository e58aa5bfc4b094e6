/**
 * Resident ID numbers (公民身份号码) per GB 11643-1999: a 6-digit region code, the
 * birth date, a 3-digit order number (odd for men) and a check character. Legacy
 * 15-digit numbers (two-digit year, no check character) are upgraded to 18.
 */
import type { z } from 'zod';
import { type Checked, checkedString } from './checked-string.ts';
import { isRealDate } from './date.ts';
import { toHalfWidth } from './half-width.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** Province-level codes (GB/T 2260), including 71 Taiwan, 81 Hong Kong and 82 Macao. */
const PROVINCES = new Set('11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '));

/** The GB 11643 check character for the first 17 digits of an ID number. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** The birth date encoded in an 18-digit ID number, as `YYYY-MM-DD`. */
export function birthDateOfId(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/** True when the string is a valid 18-character ID number (see {@link idNumberProblem}). */
export function isValidIdNumber(idNumber: string): boolean {
  return idNumberProblem(idNumber) === undefined;
}

/**
 * Why an 18-character ID number is not valid, in plain language, or `undefined` when
 * it is: its shape, a real province, a real birth date not in the future, its check character.
 * The message never contains the number.
 */
export function idNumberProblem(idNumber: string): string | undefined {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return '身份证号应为18位数字，末位可为X (an ID number is 18 digits; the last may be X)';
  if (!PROVINCES.has(idNumber.slice(0, 2))) return '身份证号地区码不存在 (the ID number\'s region code is not a real province)';
  const birth = birthDateOfId(idNumber);
  if (birth < '1800-01-01' || !isRealDate(birth) || birth > new Date().toISOString().slice(0, 10)) {
    return '身份证号中的出生日期不存在 (the ID number\'s birth date is not a real date)';
  }
  if (idCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return '身份证号校验位错误 (the ID number\'s check digit is wrong)';
  return undefined;
}

/** A legacy 15-digit number as 18: `19` inserted before the two-digit year and a check character added. */
export function upgradeIdNumber(idNumber15: string): string {
  if (!/^\d{15}$/.test(idNumber15)) throw new RangeError('a legacy ID number is 15 digits');
  const first17 = `${idNumber15.slice(0, 6)}19${idNumber15.slice(6)}`;
  return first17 + idCheckCharacter(first17);
}

function checkIdNumber(text: string): Checked<string> {
  const compact = toHalfWidth(text).replace(/\s/g, '').toUpperCase();
  const idNumber = /^\d{15}$/.test(compact) ? upgradeIdNumber(compact) : compact;
  const problem = idNumberProblem(idNumber);
  return problem ? { problem } : { value: idNumber };
}

/**
 * An ID number, output as 18 half-width characters with an upper-case `X`: spaces
 * and full-width digits are tolerated and a 15-digit number is upgraded.
 */
export const IdNumber = checkedString(checkIdNumber);
export type IdNumber = z.infer<typeof IdNumber>;
