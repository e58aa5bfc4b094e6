/**
 * Credentials for the legacy systems (and, through {@link SecretBox}, run evidence),
 * encrypted at rest with AES-256-GCM. The key
 * comes from `FERRY_SECRET_KEY` (32 bytes, hex or base64) or `<dataDir>/secret.key`.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.ts';
import { ConfigError } from '../config.ts';

/** Raised when a key is malformed, or does not match the one the data was sealed with. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** One account: a user name and its password. */
export interface Account {
  username: string;
  password: string;
}

/**
 * The stored login of one legacy system: the main account (the log-in form's, or the only
 * one), and optionally a separate account for HTTP auth. Credentials stored before `http`
 * existed read as they are.
 */
export interface Credentials extends Account {
  /** The HTTP-auth account, when it differs from the form's. @defaultValue the main account */
  http?: Account;
}

/** The account to answer HTTP auth with: the stored `http` one, else the main one. */
export function httpAccountOf(credentials: Credentials): Account {
  return credentials.http ?? { username: credentials.username, password: credentials.password };
}

function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${source} must be 32 bytes as 64 hex characters or base64; it is ${key.length} bytes.`);
  return key;
}

/** Loads the secret key, creating an owner-only key file on first use when no env key is set. */
export function loadSecretKey(options: { secretKey?: string; dataDir: string }): Buffer {
  if (options.secretKey) return parseKey(options.secretKey, 'FERRY_SECRET_KEY');
  const file = join(options.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

/** Seals and opens strings and bytes with AES-256-GCM; tampering or a wrong key fails loudly. */
export class SecretBox {
  constructor(private readonly key: Buffer) {}

  /** `iv (12) | tag (16) | ciphertext`: what {@link openBytes} takes back. */
  sealBytes(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Opens what {@link sealBytes} sealed; a SecretKeyError (saying `what` failed) on a wrong key or tampering. */
  openBytes(sealed: Buffer, what = 'The stored data'): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    } catch {
      throw new SecretKeyError(`${what} cannot be decrypted: FERRY_SECRET_KEY (or secret.key) is not the key it was stored with, or it was altered.`);
    }
  }

  seal(plain: string): string {
    return `v1.${this.sealBytes(Buffer.from(plain, 'utf8')).toString('base64')}`;
  }

  open(sealed: string): string {
    try {
      return this.openBytes(Buffer.from(sealed.replace(/^v1\./, ''), 'base64')).toString('utf8');
    } catch {
      throw new SecretKeyError(
        'The stored credentials cannot be decrypted: FERRY_SECRET_KEY (or secret.key) is not the key they were stored with. ' +
          'Set FERRY_SECRET_KEY to that key, or store the credentials again with `ferry secrets set <bot>`.',
      );
    }
  }

  /** A keyed hash for correlating personal values without revealing them. */
  keyedHash(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('hex').slice(0, 24);
  }
}

/** Credentials per bot, sealed in Redis. */
export class CredentialStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly box: SecretBox) {}

  async set(bot: string, credentials: Credentials): Promise<void> {
    await this.redis.set(this.keys.credentials(bot), this.box.seal(JSON.stringify(credentials)));
  }

  /** Stores the main account, keeping a stored HTTP-auth account. */
  async setMain(bot: string, account: Account): Promise<void> {
    const stored = await this.find(bot);
    await this.set(bot, { ...account, ...(stored?.http ? { http: stored.http } : {}) });
  }

  /** Stores the HTTP-auth account beside the main one; a ConfigError when no main account is stored yet. */
  async setHttp(bot: string, account: Account): Promise<void> {
    const stored = await this.get(bot);
    await this.set(bot, { username: stored.username, password: stored.password, http: account });
  }

  /** Opens the stored login of each bot that has one, so a wrong key stops a process at start-up instead of failing each run. */
  async check(bots: string[]): Promise<void> {
    for (const bot of bots) {
      const sealed = await this.redis.get(this.keys.credentials(bot));
      if (sealed) this.box.open(sealed);
    }
  }

  /** The bot's credentials; a ConfigError saying how to store them when there are none. */
  async get(bot: string): Promise<Credentials> {
    const found = await this.find(bot);
    if (!found) throw new ConfigError(`No credentials for bot "${bot}". Store them with \`ferry secrets set ${bot}\`.`);
    return found;
  }

  private async find(bot: string): Promise<Credentials | null> {
    const sealed = await this.redis.get(this.keys.credentials(bot));
    return sealed ? (JSON.parse(this.box.open(sealed)) as Credentials) : null;
  }
}
