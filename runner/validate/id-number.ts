/**
 * Resident ID numbers (公民身份号码) per GB 11643-1999: 17 digits and a check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

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

/** True when the string is 18 characters, a real birth date and a correct check character. */
export function isValidIdNumber(idNumber: string): boolean {
  if (!/^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])\d{2}\d{3}[\dX]$/.test(idNumber)) return false;
  const birth = birthDateOfId(idNumber);
  const parsed = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth) return false;
  return idCheckCharacter(idNumber.slice(0, 17)) === idNumber[17];
}
