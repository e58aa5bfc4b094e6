/**
 * Dashboard sessions in Redis, so they survive a restart and are shared by several
 * dashboard processes. Each key expires after the idle timeout; every request saves the
 * session again (rolling), which pushes the expiry out. Logging out deletes the key.
 *
 * A session is a hash of its data and its cookie. A request that changed nothing (a run
 * page's poll, every second) saves only the cookie and the expiry, and only while the session
 * still exists: so it never writes back the stale copy it loaded over what a request running
 * at the same time stored (an answer's refusal, a flash message), and never brings a session
 * back to life after a log-out.
 */
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../runner/redis/keys.ts';

/** Renews an existing session's cookie and expiry (ARGV: cookie JSON, idle ms). */
const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'cookie', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** What `@fastify/session` hands the store: the session, which knows whether the request changed it. */
type StoredSession = Session & { cookie?: unknown; isModified?: () => boolean };

export class RedisSessionStore implements SessionStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly idleMs: number) {}

  set(id: string, session: Session, callback: (error?: unknown) => void): void {
    const key = this.keys.session(id);
    const { cookie, ...data } = JSON.parse(JSON.stringify(session)) as { cookie?: unknown };
    const stored = session as StoredSession;
    const saved = stored.isModified && !stored.isModified()
      ? this.redis.eval(TOUCH, 1, key, JSON.stringify(cookie ?? null), this.idleMs)
      : this.redis.multi().hset(key, { data: JSON.stringify(data), cookie: JSON.stringify(cookie ?? null) }).pexpire(key, this.idleMs).exec();
    saved.then(() => callback(), callback);
  }

  get(id: string, callback: (error: unknown, session?: Session | null) => void): void {
    this.redis.hgetall(this.keys.session(id)).then((raw) => {
      if (!raw.data) return callback(null, null);
      callback(null, { ...JSON.parse(raw.data), cookie: JSON.parse(raw.cookie ?? 'null') } as Session);
    }, (error: Error) => (/WRONGTYPE/.test(error.message) ? callback(null, null) : callback(error)));
  }

  destroy(id: string, callback: (error?: unknown) => void): void {
    this.redis.del(this.keys.session(id)).then(() => callback(), callback);
  }
}
