/**
 * Dashboard sessions in Redis, so they survive a restart and are shared by several
 * dashboard processes. Each key expires after the idle timeout; every request saves the
 * session again (rolling), which pushes the expiry out. Logging out deletes the key.
 */
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../runner/redis/keys.ts';

export class RedisSessionStore implements SessionStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly idleMs: number) {}

  set(id: string, session: Session, callback: (error?: unknown) => void): void {
    this.redis.set(this.keys.session(id), JSON.stringify(session), 'PX', this.idleMs).then(() => callback(), callback);
  }

  get(id: string, callback: (error: unknown, session?: Session | null) => void): void {
    this.redis.get(this.keys.session(id)).then((raw) => callback(null, raw ? (JSON.parse(raw) as Session) : null), callback);
  }

  destroy(id: string, callback: (error?: unknown) => void): void {
    this.redis.del(this.keys.session(id)).then(() => callback(), callback);
  }
}
