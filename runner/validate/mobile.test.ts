import { describe, expect, it } from 'vitest';
import { Mobile } from './mobile.ts';

describe('Mobile', () => {
  it('normalises +86, spaces, dashes, brackets and full-width digits to 11 digits', () => {
    for (const written of ['13800138000', '+86 138 0013 8000', '+86-138-0013-8000', '(+86)13800138000', '008613800138000', '８６１３８００１３８０００', '　138-0013-8000　']) {
      expect(Mobile.parse(written), written).toBe('13800138000');
    }
  });

  it('rejects numbers that are not mainland mobiles', () => {
    for (const bad of ['12800138000', '1380013800', '138001380001', '010-12345678', '+85 13800138000', '']) {
      expect(Mobile.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('never echoes the number in its message', () => {
    const parsed = Mobile.safeParse('1380013800');
    expect(parsed.error?.issues[0].message).toBe('手机号应为以13–19开头的11位数字 (a mainland mobile is 11 digits starting 13–19)');
  });
});
