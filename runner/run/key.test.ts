import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from './key.ts';

const hash = (value: string) => createHmac('sha256', 'test-key').update(value).digest('hex').slice(0, 24);

describe('a record key', () => {
  it('may be an e-mail address, stored only as its keyed hash', () => {
    const keyId = keyIdOf('zhang.san@example.cn', hash);
    expect(keyId).toBe(`h-${hash('zhang.san@example.cn')}`);
    expect(keyId).not.toContain('@');
  });

  it('may carry an "@" that is not an address, stored as it is', () => {
    expect(keyIdOf('SL2026@north', hash)).toBe('SL2026@north');
  });

  it('still may not contain ":", which BullMQ forbids, and the refusal masks the address', () => {
    expect(() => keyIdOf('mailto:zhang.san@example.cn', hash)).toThrow(/contains ":"/);
    expect(() => keyIdOf('mailto:zhang.san@example.cn', hash)).not.toThrow(/zhang\.san/);
  });
});
