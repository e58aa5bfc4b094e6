import { describe, expect, it } from 'vitest';
import { toHalfWidth } from './half-width.ts';

describe('toHalfWidth', () => {
  it('turns full-width digits and letters into ASCII', () => {
    expect(toHalfWidth('０１２３４５６７８９ＡＢＺａｂｚ')).toBe('0123456789ABZabz');
  });

  it('turns the ideographic space into a space', () => {
    expect(toHalfWidth('张\u3000三')).toBe('张 三');
  });

  it('keeps Chinese punctuation in prose unless asked to convert it', () => {
    expect(toHalfWidth('江城市滨江路１２号，（东门）')).toBe('江城市滨江路12号，（东门）');
    expect(toHalfWidth('＋８６（１３８）－００１３／８０００，', { punctuation: true })).toBe('+86(138)-0013/8000,');
  });

  it('leaves Chinese characters and half-width text alone', () => {
    expect(toHalfWidth('江城市滨江路12号A座')).toBe('江城市滨江路12号A座');
  });
});
