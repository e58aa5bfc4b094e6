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

  it('masks e-mail addresses, keeping the first character and the domain', () => {
    expect(maskText('联系邮箱 zhang.san@example.cn，备用 li-si+ferry@mail.gov.cn')).toBe('联系邮箱 z***@example.cn，备用 l***@mail.gov.cn');
    expect(maskValue({ err: new Error('no account for wang@example.cn') })).toEqual({ err: { name: 'Error', message: 'no account for w***@example.cn' } });
  });

  it('finds an e-mail address left unmasked, and none once masked', () => {
    expect(findUnmaskedPersonalData('sent to zhang.san@example.cn')).toEqual(['zhang.san@example.cn']);
    expect(findUnmaskedPersonalData(maskText('sent to zhang.san@example.cn'))).toEqual([]);
  });

  it('finds what is left unmasked', () => {
    expect(findUnmaskedPersonalData(maskText('11010519491231002X 13812345678'))).toEqual([]);
    expect(findUnmaskedPersonalData('11010519491231002X')).toHaveLength(1);
  });
});
