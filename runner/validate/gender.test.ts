import { describe, expect, it } from 'vitest';
import { assertGenderMatchesId, Gender, genderCode, genderOfId } from './gender.ts';

describe('Gender', () => {
  it('reads words and codes into M or F', () => {
    for (const male of ['男', '男性', 'M', 'm', 'male', 'Male', '1', '１', ' 男 ']) expect(Gender.parse(male), male).toBe('M');
    for (const female of ['女', '女性', 'F', 'f', 'female', '2']) expect(Gender.parse(female), female).toBe('F');
  });

  it('rejects anything else in plain language', () => {
    for (const bad of ['0', '9', '未知', 'x', '', 'constructor']) {
      expect(Gender.safeParse(bad).error?.issues[0].message, bad).toContain('性别');
    }
  });
});

describe('gender and ID number', () => {
  it('reads the gender from the 17th digit, odd for men', () => {
    expect(genderOfId('440524188001010014')).toBe('M');
    expect(genderOfId('11010519491231002X')).toBe('F');
  });

  it('throws a BusinessError when they disagree', () => {
    expect(() => assertGenderMatchesId('F', '440524188001010014')).toThrow(expect.objectContaining({ name: 'BusinessError', message: expect.stringContaining('性别与身份证号不一致') }));
    expect(() => assertGenderMatchesId('M', '440524188001010014')).not.toThrow();
  });

  it('gives the GB/T 2261.1 code', () => {
    expect([genderCode('M'), genderCode('F')]).toEqual(['1', '2']);
  });
});
