/**
 * Gender as systems write it (男/女, M/F, male/female, and the GB/T 2261.1 codes 1/2)
 * read into `'M' | 'F'`, and checked against an ID number's order digit.
 */
import type { z } from 'zod';
import { BusinessError } from '../errors.ts';
import { maskText } from '../access/mask.ts';
import { type Checked, checkedString } from './checked-string.ts';
import { toHalfWidth } from './half-width.ts';

const WORDS: Record<string, 'M' | 'F'> = {
  男: 'M', 男性: 'M', m: 'M', male: 'M', 1: 'M',
  女: 'F', 女性: 'F', f: 'F', female: 'F', 2: 'F',
};

function checkGender(text: string): Checked<'M' | 'F'> {
  const word = toHalfWidth(text).trim().toLowerCase();
  const gender = Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
  return gender ? { value: gender } : { problem: `性别"${maskText(word)}"无法识别，应为男/女、M/F或1/2 (gender must be 男/女, M/F or 1/2)` };
}

/** Gender in any known form, output as `'M'` or `'F'`. */
export const Gender = checkedString(checkGender);
export type Gender = z.infer<typeof Gender>;

/** The gender an 18-digit ID number records: its 17th digit is odd for men. */
export function genderOfId(idNumber: string): Gender {
  return Number(idNumber[16]) % 2 === 1 ? 'M' : 'F';
}

/** Throws {@link BusinessError} when `gender` disagrees with the ID number. */
export function assertGenderMatchesId(gender: Gender, idNumber: string): void {
  if (genderOfId(idNumber) !== gender) throw new BusinessError('性别与身份证号不一致 (gender disagrees with the ID number)');
}

/** The GB/T 2261.1 code legacy systems store: `'1'` for men, `'2'` for women. */
export function genderCode(gender: Gender): '1' | '2' {
  return gender === 'M' ? '1' : '2';
}
