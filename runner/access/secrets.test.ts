import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, SecretBox, SecretKeyError } from './secrets.ts';

describe('credentials at rest', () => {
  it('seal and open round-trip, and the sealed text does not contain the password', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('{"username":"u","password":"Yb@2005jb"}');
    expect(sealed).not.toContain('Yb@2005jb');
    expect(box.open(sealed)).toContain('Yb@2005jb');
  });

  describe('when the key is not the one the credentials were sealed with', () => {
    it('says so instead of returning garbage', () => {
      const sealed = new SecretBox(randomBytes(32)).seal('secret');
      expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/not the key they were stored with/);
    });
  });

  it('seals bytes (evidence) so that a changed byte or another key fails loudly', () => {
    const box = new SecretBox(randomBytes(32));
    const plain = Buffer.from('<td>110101199003071234</td>');
    const sealed = box.sealBytes(plain);
    expect(sealed.includes(Buffer.from('110101199003071234'))).toBe(false);
    expect(box.openBytes(sealed)).toEqual(plain);
    sealed[sealed.length - 1] ^= 1;
    expect(() => box.openBytes(sealed, 'Evidence a.html')).toThrow(/Evidence a\.html cannot be decrypted/);
    expect(() => new SecretBox(randomBytes(32)).openBytes(box.sealBytes(plain))).toThrow(SecretKeyError);
  });

  it('rejects a malformed FERRY_SECRET_KEY with a clear message', () => {
    expect(() => loadSecretKey({ secretKey: 'short', dataDir: '/tmp' })).toThrow(SecretKeyError);
  });

  it('creates an owner-only key file when no key is configured', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-key-'));
    const key = loadSecretKey({ dataDir });
    expect(key).toHaveLength(32);
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ dataDir }).equals(key)).toBe(true);
  });
});
