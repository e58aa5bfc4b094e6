import { describe, expect, it } from 'vitest';
import { findUnmaskedPersonalData } from '../access/mask.ts';
import { birthDateOfId, IdNumber, idCheckCharacter, isValidIdNumber, upgradeIdNumber } from './id-number.ts';

/** The examples published in GB 11643-1999. */
const PUBLISHED = ['11010519491231002X', '440524188001010014'];

/** A complete ID number: `first17` and its correct check character. */
const withCheck = (first17: string) => first17 + idCheckCharacter(first17);

function problemOf(text: string): string {
  const parsed = IdNumber.safeParse(text);
  if (parsed.success) throw new Error('expected a problem');
  return parsed.error.issues[0].message;
}

describe('idCheckCharacter', () => {
  it('gives the check characters of the published examples', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('44052418800101001')).toBe('4');
  });
});

describe('isValidIdNumber', () => {
  it('accepts the published examples', () => {
    for (const id of PUBLISHED) expect(isValidIdNumber(id)).toBe(true);
  });

  it('rejects a wrong check character, an impossible birth date, an unknown province and a lower-case x', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber(withCheck('11010519490231002'))).toBe(false);
    expect(isValidIdNumber(withCheck('99010519491231002'))).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
  });

  it('rejects a birth date in the future', () => {
    expect(isValidIdNumber(withCheck(`110105${new Date().getUTCFullYear() + 1}0101001`))).toBe(false);
  });
});

describe('birthDateOfId', () => {
  it('reads the birth date as ISO', () => {
    expect(birthDateOfId('11010519491231002X')).toBe('1949-12-31');
  });
});

describe('upgradeIdNumber', () => {
  it('turns a 15-digit number into the 18-digit one', () => {
    expect(upgradeIdNumber('110105491231002')).toBe('11010519491231002X');
    expect(upgradeIdNumber('130503670401001')).toBe('130503196704010016');
  });
});

describe('IdNumber', () => {
  it('normalises spaces, full-width digits, a lower-case x and a 15-digit number', () => {
    expect(IdNumber.parse(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(IdNumber.parse('４４０５２４１８８００１０１００１４')).toBe('440524188001010014');
    expect(IdNumber.parse('110105491231002')).toBe('11010519491231002X');
  });

  it('says in plain language what is wrong', () => {
    expect(problemOf('110105194912310021')).toBe("身份证号校验位错误 (the ID number's check digit is wrong)");
    expect(problemOf('1101051949123100')).toContain('18位');
    expect(problemOf(withCheck('11010519490230002'))).toContain('出生日期');
    expect(problemOf(withCheck('99010519491231002'))).toContain('地区码');
  });

  it('never echoes the number in its message', () => {
    for (const bad of ['110105194912310021', '11010519491231002', '1101051949123100211']) {
      const message = problemOf(bad);
      expect(message).not.toContain(bad.slice(4, 14));
      expect(findUnmaskedPersonalData(message)).toEqual([]);
    }
  });
});
