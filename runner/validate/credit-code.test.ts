import { describe, expect, it } from 'vitest';
import { CreditCode, creditCodeCheckCharacter, isValidCreditCode } from './credit-code.ts';

/** Published codes: the example in GB 32100-2015 and codes printed on business licences. */
const PUBLISHED = ['91350100M000100Y43', '91110000802100433B', '91110108551385082Q', '91330100716105852F'];

/** The same code with its check character replaced by another from the alphabet. */
function withWrongCheck(code: string): string {
  return code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
}

describe('isValidCreditCode', () => {
  it('accepts published codes', () => {
    for (const code of PUBLISHED) expect(isValidCreditCode(code), code).toBe(true);
  });

  it('rejects a code whose check character was changed', () => {
    for (const code of PUBLISHED) expect(isValidCreditCode(withWrongCheck(code)), code).toBe(false);
  });

  it('rejects letters outside the alphabet', () => {
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
  });
});

describe('creditCodeCheckCharacter', () => {
  it('gives 0 when the weighted sum is a multiple of 31', () => {
    expect(creditCodeCheckCharacter('9111010855138508R')).toBe('0');
  });
});

describe('CreditCode', () => {
  it('normalises case, spaces and full-width characters', () => {
    expect(CreditCode.parse(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(CreditCode.parse('９１３５０１００Ｍ０００１００Ｙ４３')).toBe('91350100M000100Y43');
  });

  it('names a wrong check character in plain language', () => {
    const parsed = CreditCode.safeParse(withWrongCheck('91350100M000100Y43'));
    expect(parsed.error?.issues[0].message).toContain('校验码错误');
  });

  it('masks an ID number typed into the field', () => {
    const parsed = CreditCode.safeParse('110105194912310021');
    expect(parsed.error?.issues[0].message).not.toContain('110105194912310021');
  });
});
