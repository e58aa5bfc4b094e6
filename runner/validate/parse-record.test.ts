import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IdNumber } from './id-number.ts';
import { Mobile } from './mobile.ts';
import { parseRecord } from './parse-record.ts';

const Person = z.object({ idNumber: IdNumber, phone: Mobile, name: z.string().min(1) });

describe('parseRecord', () => {
  it('returns the normalised record', () => {
    expect(parseRecord(Person, { idNumber: '110105491231002', phone: '+86 138 0013 8000', name: '张三' }))
      .toEqual({ idNumber: '11010519491231002X', phone: '13800138000', name: '张三' });
  });

  it('throws a BusinessError naming every bad field', () => {
    expect(() => parseRecord(Person, { idNumber: '110105194912310021', phone: '123', name: '' })).toThrow(expect.objectContaining({
      name: 'BusinessError',
      message: expect.stringMatching(/^idNumber: 身份证号校验位错误.*; phone: 手机号.*; name: /),
    }));
  });

  it('masks an ID number or mobile that a field\'s message would echo', () => {
    const Remark = z.object({ remark: z.string().max(5, { error: (issue) => `too long: ${String(issue.input)}` }) });
    expect(() => parseRecord(Remark, { remark: '身份证110105194912310021' })).toThrow('too long: 身份证1101**********0021');
  });
});
