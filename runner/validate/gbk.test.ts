import { describe, expect, it } from 'vitest';
import { assertGbkEncodable, gbkUnencodable } from './gbk.ts';

describe('gbkUnencodable', () => {
  it('finds nothing in common names and addresses', () => {
    expect(gbkUnencodable('张三丰 江城市滨江路12号（东门）·A座 €')).toEqual([]);
  });

  it('names whole characters beyond the BMP, not surrogate halves', () => {
    expect(gbkUnencodable('吉𠮷祥𠮷')).toEqual(['𠮷']);
  });

  it('finds characters from later Unicode versions that GBK predates', () => {
    expect(gbkUnencodable('王鿏㐀')).toEqual(['鿏', '㐀']);
  });
});

describe('assertGbkEncodable', () => {
  it('throws a BusinessError naming the character and its code point', () => {
    expect(() => assertGbkEncodable('吉𠮷', '姓名')).toThrow(expect.objectContaining({
      name: 'BusinessError',
      message: expect.stringContaining('姓名 contains "𠮷" (U+20BB7), which GBK cannot encode; a GBK system would corrupt it'),
    }));
  });

  it('passes text GBK can store', () => {
    expect(() => assertGbkEncodable('李四', '姓名')).not.toThrow();
  });
});
