/**
 * The session store against a real Redis: a request that changed nothing (a run page's poll)
 * saves only the cookie and expiry, so it cannot write its stale copy over what a request at
 * the same time stored, nor revive a session logged out meanwhile.
 */
import type { Session } from 'fastify';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../runner/redis/connect.ts';
import { RedisKeys } from '../runner/redis/keys.ts';
import { useRedis } from '../test/support/redis.ts';
import { RedisSessionStore } from './session-store.ts';

const redis = useRedis();

/** A session as `@fastify/session` hands it over: its data, its cookie, and whether the request changed it. */
const sessionOf = (data: Record<string, unknown>, modified: boolean, expires: string) =>
  ({ ...data, cookie: { expires, httpOnly: true }, isModified: () => modified }) as unknown as Session;

function storeOf(): { store: RedisSessionStore; close(): void; key(id: string): string } {
  const client = connectRedis(redis().url);
  const keys = new RedisKeys(`t-${Math.random().toString(16).slice(2, 8)}`);
  return { store: new RedisSessionStore(client, keys, 60_000), close: () => client.disconnect(), key: (id) => keys.session(id) };
}

const call = <T>(act: (done: (error: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => act((error, value) => (error ? reject(error) : resolve(value))));

describe('a session saved by a request that changed nothing', () => {
  it('keeps what a request at the same time stored, and renews the cookie and expiry', async () => {
    const { store, close } = storeOf();
    try {
      await call((done) => store.set('s1', sessionOf({ user: 'clerk' }, true, '2026-12-02T10:00:00.000Z'), done));
      // The poll loaded the session before the answer's refusal was stored; it ends after it.
      await call((done) => store.set('s1', sessionOf({ user: 'clerk', answerError: { task: 't', message: 'bad' } }, true, '2026-12-02T10:00:01.000Z'), done));
      await call((done) => store.set('s1', sessionOf({ user: 'clerk' }, false, '2026-12-02T10:00:02.000Z'), done));
      const loaded = (await call<Session | null>((done) => store.get('s1', done))) as unknown as Record<string, unknown>;
      expect(loaded).toMatchObject({ user: 'clerk', answerError: { task: 't', message: 'bad' }, cookie: { expires: '2026-12-02T10:00:02.000Z' } });
    } finally {
      close();
    }
  });

  it('does not bring back a session logged out meanwhile', async () => {
    const { store, close } = storeOf();
    try {
      await call((done) => store.set('s2', sessionOf({ user: 'clerk' }, true, '2026-12-02T10:00:00.000Z'), done));
      await call((done) => store.destroy('s2', done));
      await call((done) => store.set('s2', sessionOf({ user: 'clerk' }, false, '2026-12-02T10:00:01.000Z'), done));
      expect(await call<Session | null>((done) => store.get('s2', done))).toBeNull();
    } finally {
      close();
    }
  });
});
