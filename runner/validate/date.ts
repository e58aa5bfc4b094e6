/**
 * Dates in the forms legacy systems and paper forms use (`2021-03-01`, `20210301`,
 * `2021/3/1`, `2021年3月1日`, full-width digits), read into ISO `2021-03-01`, and
 * written out in the compact and Chinese forms other systems want.
 */
import type { z } from 'zod';
import { BusinessError } from '../errors.ts';
import { maskText } from '../access/mask.ts';
import { type Checked, checkedString } from './checked-string.ts';
import { toHalfWidth } from './half-width.ts';

/** `2021-3-1`, `2021/03/01`, `2021.3.1`; a time of day after it (`2021-03-01 00:00:00.0`, as Oracle-backed pages show dates) is dropped. */
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** True when `iso` (`YYYY-MM-DD`) is a day on the calendar: not 2021-02-30. */
export function isRealDate(iso: string): boolean {
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

function checkDate(text: string): Checked<string> {
  const plain = toHalfWidth(text, { punctuation: true }).trim();
  const separated = SEPARATED.exec(plain);
  const parts = separated ? [separated[1], separated[3], separated[4]] : (CHINESE.exec(plain) ?? COMPACT.exec(plain))?.slice(1);
  if (!parts) return { problem: `日期"${maskText(plain)}"无法识别 (not a date in a known form)` };
  const [year, month, day] = parts;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!isRealDate(iso)) return { problem: `日期${iso}不存在 (${iso} is not a real date)` };
  return { value: iso };
}

/** A date in any known form, output as ISO `YYYY-MM-DD`. */
export const IsoDate = checkedString(checkDate);
export type IsoDate = z.infer<typeof IsoDate>;

/** A date in any known form as ISO `2021-03-01`; throws {@link BusinessError} when it is not a real date. */
export function toIsoDate(date: string): string {
  const result = checkDate(date);
  if ('problem' in result) throw new BusinessError(result.problem);
  return result.value;
}

/** A date in any known form as `20210301`; throws {@link BusinessError} when it is not a real date. */
export function toCompactDate(date: string): string {
  return toIsoDate(date).replaceAll('-', '');
}

/** A date in any known form as `2021年03月01日`; throws {@link BusinessError} when it is not a real date. */
export function toChineseDate(date: string): string {
  const [year, month, day] = toIsoDate(date).split('-');
  return `${year}年${month}月${day}日`;
}
