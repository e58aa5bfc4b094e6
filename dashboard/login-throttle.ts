/**
 * The log-in limit: failed log-ins are counted per (user name, client address) in Redis
 * for a fixed window. A successful log-in does not count, and one user's mistakes do not
 * lock out the others behind the same address (an office, a proxy).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Failed log-ins allowed per user name and client address within the window. */
export const LOGIN_ATTEMPTS = 10;
export const LOGIN_WINDOW_MINUTES = 15;

export class LoginThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** True when this name has failed too often from this address within the window. */
  async blocked(name: string, ip: string): Promise<boolean> {
    return Number(await this.redis.get(this.key(name, ip))) >= LOGIN_ATTEMPTS;
  }

  /** Counts one failure; the window starts at the first. */
  async failed(name: string, ip: string): Promise<void> {
    const key = this.key(name, ip);
    await this.redis.multi().set(key, 0, 'PX', LOGIN_WINDOW_MINUTES * 60_000, 'NX').incr(key).exec();
  }

  /** The counter's key: the name and address hashed, so neither sits in Redis in clear. */
  private key(name: string, ip: string): string {
    return `${this.prefix}login:${createHash('sha256').update(`${name}\n${ip}`).digest('hex').slice(0, 32)}`;
  }
}
