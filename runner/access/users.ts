/**
 * Folder `runner/access/`: who may do what and what is kept secret: dashboard users and roles,
 * the append-only audit log, encrypted credentials, and masking of personal data.
 *
 * Dashboard users: a name, a role and a scrypt password hash (node:crypto), kept in Redis.
 * Roles nest: staff trigger runs, ops also retry, resolve and see evidence, admin also
 * manages users.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InputError } from '../errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import type { RedisKeys } from '../redis/keys.ts';

/** What a user may do; each role includes the ones before it. */
export type Role = 'staff' | 'ops' | 'admin';
export const ROLES: Role[] = ['staff', 'ops', 'admin'];

/** A user as the dashboard sees it (never the hash). */
export interface User {
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
/** The least a chosen password must have. */
export const MIN_PASSWORD_LENGTH = 12;
/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s), 64-byte key, 16-byte salt. */
const COST = { N: 32_768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;

function derive(password: string, salt: Buffer, cost: ScryptOptions = COST): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, 64, cost, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$key` (base64). */
async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

async function matches(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p), maxmem: COST.maxmem });
  return timingSafeEqual(actual, expected);
}

/** A random password for a new or reset account: 16 characters, about 96 bits. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/** True when `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new InputError(`The role must be one of ${ROLES.join(', ')}, not "${role}".`);
  return role as Role;
}

/** True when `password` is one of `words`, ignoring case, repeated (`qwertyqwerty`) or followed by digits (`password2026!`). */
function isCommon(password: string, words: ReadonlySet<string>): boolean {
  const lower = password.toLowerCase();
  const base = lower.replace(/[\d!.@#_-]+$/, '');
  const repeated = /^(.+?)\1+$/.exec(lower)?.[1] ?? '';
  return [lower, base, repeated].some((candidate) => words.has(candidate));
}

/** Refuses a password that is short, is the user name, or is a common one; the message says which. */
export function checkPassword(name: string, password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new InputError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (isCommon(password, new Set([name.toLowerCase()]))) throw new InputError('A password must not be the user name.');
  if (isCommon(password, COMMON_PASSWORDS)) throw new InputError('This password is on the list of the most common passwords; choose another.');
}

/** KEYS: user, users. ARGV: name, role, createdAt, createdBy, hash. 0 when the name is taken. */
const ADD_USER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'role', ARGV[2], 'createdAt', ARGV[3], 'createdBy', ARGV[4], 'hash', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/** Users in Redis; names are lower-case letters, digits, `.`, `_` and `-`. */
export class UserStore {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  /** Adds a user; an InputError when the name is taken or anything is malformed. */
  async add(name: string, role: string, password: string, createdBy: string): Promise<User> {
    if (!NAME.test(name)) throw new InputError(`A user name is 2-32 lower-case letters, digits, ".", "_" or "-", not "${name.slice(0, 40)}".`);
    checkPassword(name, password);
    const user: User = { name, role: checkRole(role), createdAt: Date.now(), createdBy };
    const hash = await hashPassword(password);
    const added = await this.redis.eval(
      ADD_USER, 2, this.keys.user(name), this.keys.users(), name, user.role, user.createdAt, createdBy, hash,
    );
    if (added !== 1) throw new InputError(`A user named "${name}" already exists.`);
    return user;
  }

  async get(name: string): Promise<User | null> {
    const raw = await this.redis.hgetall(this.keys.user(name));
    if (!raw.name || !raw.hash) return null;
    return { name: raw.name, role: raw.role as Role, createdAt: Number(raw.createdAt), createdBy: raw.createdBy };
  }

  /** Every user, by name. */
  async list(): Promise<User[]> {
    const names = (await this.redis.smembers(this.keys.users())).sort();
    const users = await Promise.all(names.map((name) => this.get(name)));
    return users.filter((user): user is User => user !== null);
  }

  /** The user when the password is right, else null; takes as long for unknown names. */
  async verify(name: string, password: string): Promise<User | null> {
    const stored = NAME.test(name) ? await this.redis.hget(this.keys.user(name), 'hash') : null;
    if (!stored) {
      this.dummyHash ??= hashPassword(generatePassword());
      await matches(password, await this.dummyHash);
      return null;
    }
    return (await matches(password, stored)) ? this.get(name) : null;
  }

  async setRole(name: string, role: string): Promise<void> {
    await this.mustExist(name);
    await this.redis.hset(this.keys.user(name), 'role', checkRole(role));
  }

  async setPassword(name: string, password: string): Promise<void> {
    await this.mustExist(name);
    checkPassword(name, password);
    await this.redis.hset(this.keys.user(name), 'hash', await hashPassword(password));
  }

  async remove(name: string): Promise<void> {
    await this.mustExist(name);
    await this.redis.multi().del(this.keys.user(name)).srem(this.keys.users(), name).exec();
  }

  private async mustExist(name: string): Promise<void> {
    if (!(await this.get(name))) throw new InputError(`There is no user named "${name}".`);
  }
}
