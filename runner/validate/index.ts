/**
 * Validation and normalisation of Chinese records, shared by every bot and recipe.
 * Schemas normalise as they parse; their messages are plain language (Chinese, then
 * English) and never carry a full ID number or mobile.
 */

/** Resident ID numbers: the `IdNumber` schema, GB 11643 check character, birth date, 15→18 upgrade. */
export { birthDateOfId, IdNumber, idCheckCharacter, idNumberProblem, isValidIdNumber, upgradeIdNumber } from './id-number.ts';
/** 统一社会信用代码: the `CreditCode` schema and the GB 32100 check character. */
export { CreditCode, creditCodeCheckCharacter, isValidCreditCode } from './credit-code.ts';
/** Mainland mobiles: the `Mobile` schema, normalising to 11 digits. */
export { isValidMobile, Mobile } from './mobile.ts';
/** Dates: the `IsoDate` schema and conversions to ISO, compact and Chinese forms. */
export { IsoDate, isRealDate, toChineseDate, toCompactDate, toIsoDate } from './date.ts';
/** Gender: the `Gender` schema (`'M' | 'F'`), its GB/T 2261.1 code, and the check against an ID number. */
export { assertGenderMatchesId, Gender, genderCode, genderOfId } from './gender.ts';
/** Full-width to half-width text. */
export { toHalfWidth } from './half-width.ts';
/** Text a GBK system cannot store. */
export { assertGbkEncodable, gbkUnencodable } from './gbk.ts';
/** Parsing a record with its schema, failing as a business error. */
export { parseRecord } from './parse-record.ts';
/** The shape shared by the validators, for building more of them. */
export { type Checked, checkedString } from './checked-string.ts';
