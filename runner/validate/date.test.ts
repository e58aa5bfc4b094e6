import { describe, expect, it } from 'vitest';
import { IsoDate, toChineseDate, toCompactDate, toIsoDate } from './date.ts';

describe('IsoDate', () => {
  it('reads every form legacy systems write into ISO', () => {
    const forms = ['2021-03-01', '2021-3-1', '20210301', '2021/3/1', '2021/03/01', '2021.3.1', '2021年3月1日', '2021年03月01日',
      '２０２１年３月１日', '２０２１－０３－０１', ' 2021-03-01 ', '2021-03-01 00:00:00.0', '2021-03-01T08:30'];
    for (const form of forms) expect(IsoDate.parse(form), form).toBe('2021-03-01');
  });

  it('rejects dates that are not on the calendar', () => {
    for (const bad of ['2021-02-30', '20210229', '2021年13月1日', '2021/4/31']) {
      expect(IsoDate.safeParse(bad).error?.issues[0].message, bad).toContain('不存在');
    }
  });

  it('accepts 29 February in a leap year', () => {
    expect(IsoDate.parse('2024年2月29日')).toBe('2024-02-29');
  });

  it('rejects text in no known form, and mixed separators', () => {
    for (const bad of ['2021-03/01', '21-3-1', '3/1/2021', 'yesterday', '']) {
      expect(IsoDate.safeParse(bad).error?.issues[0].message, bad).toContain('无法识别');
    }
  });
});

describe('date formatters', () => {
  it('write the compact and Chinese forms', () => {
    expect(toCompactDate('2021-03-01')).toBe('20210301');
    expect(toChineseDate('2021-03-01')).toBe('2021年03月01日');
    expect(toChineseDate('2021/3/1')).toBe('2021年03月01日');
  });

  it('throw a BusinessError for an impossible date', () => {
    expect(() => toIsoDate('2021-02-30')).toThrow(expect.objectContaining({ name: 'BusinessError' }));
  });
});
