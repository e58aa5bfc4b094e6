import { describe, expect, it } from 'vitest';
import { findUnmaskedPersonalData, maskName, maskText, maskValue } from './mask.ts';

describe('masking personal data', () => {
  it('masks 18-digit IDs and mobiles in free text', () => {
    expect(maskText('身份证110105194912310021，手机13812345678')).toBe('身份证1101**********0021，手机138****5678');
  });

  it('leaves case numbers and receipts alone', () => {
    expect(maskText('case SL2026111400001 receipt YB20261121000001')).toBe('case SL2026111400001 receipt YB20261121000001');
  });

  it('masks names in name fields of logged objects', () => {
    expect(maskValue({ record: { name: '张三丰', idNumber: '11010519491231002X' } })).toEqual({ record: { name: '张**', idNumber: '1101**********002X' } });
    expect(maskName('李')).toBe('李*');
  });

  it('finds what is left unmasked', () => {
    expect(findUnmaskedPersonalData(maskText('11010519491231002X 13812345678'))).toEqual([]);
    expect(findUnmaskedPersonalData('11010519491231002X')).toHaveLength(1);
  });
});
