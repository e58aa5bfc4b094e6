import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis } from '../runner/redis/connect.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from './support/redis.ts';
import { RedisKeys } from '../runner/redis/keys.ts';
import { FencedError, Ledger, type Claim } from '../runner/ledger/ledger.ts';

const redisServer = useRedis();
let redis: Redis;
let ledger: Ledger;
const recipe = 'test-recipe';

beforeAll(() => {
  redis = connectRedis(redisServer().url);
  ledger = new Ledger(redis, new RedisKeys(`l-${randomBytes(3).toString('hex')}`), { leaseMs: 500 });
});
afterAll(() => redis.disconnect());

async function claimed(key: string, owner: string): Promise<Claim> {
  const result = await ledger.claim(recipe, key, owner);
  if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
  return result.claim;
}

describe('the ledger', () => {
  it('claims a fresh record as NEW and counts it', async () => {
    const claim = await claimed('k1', 'w1');
    expect(claim.previous).toBe('NEW');
    expect((await ledger.counts(recipe)).CLAIMED).toBe(1);
  });

  describe('when another owner holds a live lease', () => {
    it('answers busy, and lets the other claim once the lease lapses', async () => {
      await claimed('k2', 'w1');
      expect((await ledger.claim(recipe, 'k2', 'w2')).kind).toBe('busy');
      await new Promise((resolve) => setTimeout(resolve, 600));
      const taken = await claimed('k2', 'w2');
      expect(taken.previous).toBe('CLAIMED');
    });
  });

  describe('when a newer claim exists', () => {
    it('fences the older token out of SUBMITTING', async () => {
      const old = await claimed('k3', 'w1');
      await new Promise((resolve) => setTimeout(resolve, 600));
      const fresh = await claimed('k3', 'w2');
      await expect(ledger.transition(old, 'SUBMITTING')).rejects.toBeInstanceOf(FencedError);
      await ledger.transition(fresh, 'SUBMITTING');
      expect((await ledger.get(recipe, 'k3'))?.state).toBe('SUBMITTING');
    });
  });

  describe('when an owner lost its lease while SUBMITTING', () => {
    it('makes the next owner wait out the grace after that lease before writing; a handed-back record waits for nothing', async () => {
      const graced = new Ledger(redis, new RedisKeys(`q-${randomBytes(3).toString('hex')}`), { leaseMs: 300, inFlightGraceMs: 60_000 });
      const claim = async (key: string, owner: string) => {
        const result = await graced.claim(recipe, key, owner);
        if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
        return result.claim;
      };
      const lost = await claim('q1', 'w1');
      await graced.transition(lost, 'SUBMITTING');
      const leaseEnd = Number((await graced.get(recipe, 'q1'))!.leaseUntil);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const next = await claim('q1', 'w2');
      expect(next).toMatchObject({ previous: 'SUBMITTING', quietUntil: leaseEnd + 60_000 });
      // Held, it hands the record back (lease ended): the wait stands for whoever claims it next.
      await graced.transition(next, 'SUBMITTING', {}, { endLease: true });
      expect((await claim('q1', 'w3')).quietUntil).toBe(leaseEnd + 60_000);

      const handedBack = await claim('q2', 'w1');
      await graced.transition(handedBack, 'UNKNOWN', {}, { endLease: true });
      expect((await claim('q2', 'w2')).quietUntil).toBe(0);
    });
  });

  it('answers done with the receipt once a record is DONE', async () => {
    const claim = await claimed('k4', 'w1');
    await ledger.transition(claim, 'SUBMITTING');
    await ledger.transition(claim, 'DONE', { receipt: 'YB1', created: '1' });
    expect(await ledger.claim(recipe, 'k4', 'w9')).toEqual({ kind: 'done', receipt: 'YB1' });
  });

  it('keeps no question or reason of an earlier wait on an entry once it is DONE', async () => {
    const claim = await claimed('k-waited', 'w1');
    await ledger.transition(claim, 'WAITING_FOR_PERSON', { task: 't-1', reason: 'waiting for a person: 居住证号' });
    const again = await claimed('k-waited', 'w1');
    await ledger.transition(again, 'DONE', { receipt: 'R-1', verified: '1' });
    const entry = await ledger.get(recipe, 'k-waited');
    expect(entry).toMatchObject({ state: 'DONE', receipt: 'R-1' });
    expect(entry).not.toHaveProperty('task');
    expect(entry).not.toHaveProperty('reason');
  });

  it('hands an UNKNOWN record to the next claimant with its previous state', async () => {
    const claim = await claimed('k5', 'w1');
    await ledger.transition(claim, 'SUBMITTING');
    await ledger.transition(claim, 'UNKNOWN', { reason: 'timeout' }, { endLease: true });
    const next = await claimed('k5', 'w2');
    expect(next.previous).toBe('UNKNOWN');
  });

  it('gives one claim to many simultaneous claimants', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.claim(recipe, 'k6', `w${i}`)));
    expect(results.filter((result) => result.kind === 'claimed')).toHaveLength(1);
  });

  it('masks ID numbers in stored reasons', async () => {
    const claim = await claimed('k7', 'w1');
    await ledger.transition(claim, 'FAILED', { reason: 'no row for 320102199001011234' });
    expect((await ledger.get(recipe, 'k7'))?.reason).toBe('no row for 3201**********1234');
  });
});
