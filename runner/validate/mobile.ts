/**
 * Mainland mobile numbers: 11 digits starting 13–19, written with or without +86,
 * spaces, dashes or full-width digits; normalised to the bare 11 digits.
 */
import type { z } from 'zod';
import { type Checked, checkedString } from './checked-string.ts';
import { toHalfWidth } from './half-width.ts';

const MOBILE = /^1[3-9]\d{9}$/;
const COUNTRY_CODE = /^(?:\+86|0086|86)(?=\d{11}$)/;

/** True when `mobile` is already 11 digits starting 13–19. */
export function isValidMobile(mobile: string): boolean {
  return MOBILE.test(mobile);
}

function checkMobile(text: string): Checked<string> {
  const mobile = toHalfWidth(text, { punctuation: true }).replace(/[\s\-()]/g, '').replace(COUNTRY_CODE, '');
  return isValidMobile(mobile) ? { value: mobile } : { problem: '手机号应为以13–19开头的11位数字 (a mainland mobile is 11 digits starting 13–19)' };
}

/** A mainland mobile, output as 11 digits (`+86 138-0013-8000` becomes `13800138000`). Messages never show it. */
export const Mobile = checkedString(checkMobile);
export type Mobile = z.infer<typeof Mobile>;
