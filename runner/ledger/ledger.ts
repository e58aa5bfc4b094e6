/**
 * Folder `runner/ledger/`: the exactly-once ledger and its Lua scripts; nothing else writes a
 * ledger entry.
 *
 * The ledger: Ferry's durable record of what was entered where, per (recipe, key).
 * It implements the exactly-once protocol of DESIGN.md with atomic Lua transitions
 * guarded by a fencing token and a lease.
 */
import type { Redis } from 'ioredis';
import { ReplicasBehindError } from '../errors.ts';
import type { RedisKeys } from '../redis/keys.ts';
import { CLAIM, RENEW, TRANSITION } from './scripts.ts';
import { maskText } from '../access/mask.ts';

/** Where a record stands. */
export type LedgerState =
  | 'CLAIMED' | 'SUBMITTING' | 'UNKNOWN' | 'WAITING_FOR_PERSON' | 'DONE' | 'NEEDS_REVIEW' | 'REJECTED' | 'FAILED' | 'DISCARDED';

/**
 * Every state. WAITING_FOR_PERSON: `read` asked a question nobody has answered yet; nothing was
 * entered and no lease is held, and an answer runs the record again (`find` first).
 */
export const LEDGER_STATES: LedgerState[] = ['CLAIMED', 'SUBMITTING', 'UNKNOWN', 'WAITING_FOR_PERSON', 'DONE', 'NEEDS_REVIEW', 'REJECTED', 'FAILED', 'DISCARDED'];

/** A held claim: the token every later transition must present. */
export interface Claim {
  recipe: string;
  keyId: string;
  token: string;
  /** The state before this claim; `NEW` when the record was never seen. */
  previous: LedgerState | 'NEW';
  /**
   * Epoch ms before which a write by an earlier owner that lost its lease while SUBMITTING may
   * still reach the target; 0 when no such write can be in flight.
   */
  quietUntil: number;
}

/** What a claim attempt found. */
export type ClaimResult =
  | { kind: 'claimed'; claim: Claim }
  | { kind: 'done'; receipt: string }
  | { kind: 'settled'; state: 'NEEDS_REVIEW' | 'DISCARDED'; reason: string }
  | { kind: 'busy'; owner: string; leaseUntil: number };

/** A ledger entry as stored. */
export interface LedgerEntry {
  recipe: string;
  keyId: string;
  state: LedgerState;
  token: string;
  receipt?: string;
  reason?: string;
  created?: string;
  owner?: string;
  /** Folder of the failed run's evidence. */
  evidence?: string;
  /** '0' on a DONE entered by a run that has not verified it yet; '1' once verified (or found). Absent means verified. */
  verified?: string;
  /** The task a WAITING_FOR_PERSON entry waits on (the last one asked). */
  task?: string;
  /** See {@link Claim.quietUntil}: set when a run took the record over from an owner whose lease lapsed while SUBMITTING. */
  quietUntil?: string;
  /** Epoch ms when the current owner's lease ends; absent when nobody holds the entry. */
  leaseUntil?: string;
  updatedAt: string;
}

/** Options of {@link Ledger}. */
export interface LedgerOptions {
  /** How long a claim stays exclusive without renewal. @defaultValue 30000 */
  leaseMs?: number;
  /**
   * Replicas that must acknowledge (`WAIT`) a claim, a SUBMITTING and a DONE, and how long to
   * wait for them, before the ledger returns. @defaultValue none (a Redis without replicas)
   */
  replicas?: { min: number; waitMs: number };
  /**
   * How long after an owner's lease lapsed while SUBMITTING a request it had sent may still reach
   * the target (see {@link Claim.quietUntil}). @defaultValue 120000
   */
  inFlightGraceMs?: number;
}

/** When a run held for its replicas tries again. */
const REPLICA_RETRY_MS = 5_000;
/** The transitions that decide whether a record may be written, besides the claim. */
const GATING: LedgerState[] = ['SUBMITTING', 'DONE'];

/** Raised when a transition presents a stale fencing token: another runner owns the record now. */
export class FencedError extends Error {
  constructor(claim: Claim, state: LedgerState) {
    super(`claim on ${claim.recipe}/${claim.keyId} was fenced before ${state}`);
    this.name = 'FencedError';
  }
}

const TERMINAL: LedgerState[] = ['DONE', 'NEEDS_REVIEW', 'REJECTED', 'FAILED', 'DISCARDED'];

/** Atomic, fenced access to ledger entries. */
export class Ledger {
  readonly leaseMs: number;
  private readonly replicas: { min: number; waitMs: number };
  private readonly inFlightGraceMs: number;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, options: LedgerOptions = {}) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.replicas = options.replicas ?? { min: 0, waitMs: 0 };
    this.inFlightGraceMs = options.inFlightGraceMs ?? 120_000;
  }

  /** Runs a ledger script; a primary that refuses writes for want of replicas (NOREPLICAS) holds the run. */
  private async script(what: string, script: string, keys: string[], ...args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.eval(script, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOREPLICAS')) throw error;
      throw new ReplicasBehindError(what, 'the primary refuses writes while too few replicas are connected (NOREPLICAS)', Date.now() + REPLICA_RETRY_MS);
    }
  }

  /**
   * Waits until the replicas acknowledge this connection's writes so far (Redis `WAIT`); throws
   * {@link ReplicasBehindError} when too few do in time. A fail-over could lose an unacknowledged write.
   */
  private async acknowledged(what: string): Promise<void> {
    const { min, waitMs } = this.replicas;
    if (min === 0) return;
    const acks = Number(await this.redis.call('WAIT', min, waitMs));
    if (acks < min) throw new ReplicasBehindError(what, `${acks} of ${min} within ${waitMs} ms`, Date.now() + REPLICA_RETRY_MS);
  }

  private entryKeys(recipe: string, keyId: string): string[] {
    return [this.keys.ledgerEntry(recipe, keyId), this.keys.ledgerCounts(recipe), this.keys.ledgerIndex(recipe)];
  }

  /**
   * Claims (recipe, key) for `owner`, atomically, unless it is done, settled or leased by another.
   * With replicas configured, a claim they do not acknowledge is given back (its lease ended) and
   * {@link ReplicasBehindError} is thrown.
   */
  async claim(recipe: string, keyId: string, owner: string): Promise<ClaimResult> {
    const [kind, a, b, quiet] = (await this.script('claim', CLAIM, this.entryKeys(recipe, keyId), owner, Date.now(), this.leaseMs, recipe, keyId, this.inFlightGraceMs)) as string[];
    if (kind === 'DONE') return { kind: 'done', receipt: a };
    if (kind === 'NEEDS_REVIEW' || kind === 'DISCARDED') return { kind: 'settled', state: kind, reason: a };
    if (kind === 'BUSY') return { kind: 'busy', owner: a, leaseUntil: Number(b) };
    const claim: Claim = { recipe, keyId, previous: a as Claim['previous'], token: b, quietUntil: Number(quiet) };
    try {
      await this.acknowledged('claim');
    } catch (error) {
      await this.write(recipe, keyId, claim.token, claim.previous === 'NEW' ? 'CLAIMED' : claim.previous, {}, true).catch(() => {});
      throw error;
    }
    return { kind: 'claimed', claim };
  }

  /**
   * Moves a claimed entry to `state`; throws FencedError when the token is stale, and
   * {@link ReplicasBehindError} when the replicas do not acknowledge a SUBMITTING or a DONE
   * (the entry keeps the new state; the run must not act on it). `endLease` lets another worker claim at once (a run that will be retried). A terminal
   * state ends the lease, except a DONE with `verified: '0'`: its run still verifies it.
   */
  async transition(claim: Claim, state: LedgerState, fields: Record<string, string> = {}, options: { endLease?: boolean } = {}): Promise<void> {
    const ok = await this.write(claim.recipe, claim.keyId, claim.token, state, fields, options.endLease);
    if (!ok) throw new FencedError(claim, state);
    if (GATING.includes(state)) await this.acknowledged(state);
  }

  /** Sets a state regardless of tokens: ops resolving, retrying or discarding by hand. */
  async override(recipe: string, keyId: string, state: LedgerState, fields: Record<string, string> = {}): Promise<boolean> {
    return this.write(recipe, keyId, '*', state, fields);
  }

  /** Sets a state regardless of tokens, but only while the entry is in `from` (atomically); false otherwise. */
  async overrideFrom(from: LedgerState, recipe: string, keyId: string, state: LedgerState, fields: Record<string, string> = {}): Promise<boolean> {
    return this.write(recipe, keyId, `=${from}`, state, fields);
  }

  private async write(recipe: string, keyId: string, token: string, state: LedgerState, fields: Record<string, string>, endLease = false): Promise<boolean> {
    const verifying = state === 'DONE' && fields.verified === '0';
    const lease = endLease || (TERMINAL.includes(state) && !verifying) ? 0 : this.leaseMs;
    const pairs = Object.entries(fields).flatMap(([field, value]) => [field, field === 'reason' ? maskText(value) : value]);
    return (await this.script(state, TRANSITION, this.entryKeys(recipe, keyId), token, state, Date.now(), lease, keyId, ...pairs)) === 1;
  }

  /** Extends the claim's lease; false when it was fenced. */
  async renew(claim: Claim): Promise<boolean> {
    return (await this.script('lease', RENEW, [this.keys.ledgerEntry(claim.recipe, claim.keyId)], claim.token, Date.now(), this.leaseMs)) === 1;
  }

  async get(recipe: string, keyId: string): Promise<LedgerEntry | null> {
    const entry = await this.redis.hgetall(this.keys.ledgerEntry(recipe, keyId));
    return entry.state ? (entry as unknown as LedgerEntry) : null;
  }

  /** How many entries of a recipe are in each state. */
  async counts(recipe: string): Promise<Record<LedgerState, number>> {
    const raw = await this.redis.hgetall(this.keys.ledgerCounts(recipe));
    return Object.fromEntries(LEDGER_STATES.map((state) => [state, Number(raw[state] ?? 0)])) as Record<LedgerState, number>;
  }

  /** The entries of `keyIds` in one round trip, null where a key has none. */
  async getMany(recipe: string, keyIds: string[]): Promise<(LedgerEntry | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of keyIds) pipeline.hgetall(this.keys.ledgerEntry(recipe, id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, entry]) => ((entry as LedgerEntry | null)?.state ? (entry as LedgerEntry) : null));
  }

  /** Entries of a recipe, most recently changed first. */
  async list(recipe: string, limit = 100): Promise<LedgerEntry[]> {
    const ids = await this.redis.zrevrange(this.keys.ledgerIndex(recipe), 0, limit - 1);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.ledgerEntry(recipe, id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, entry]) => entry as LedgerEntry).filter((entry) => entry?.state);
  }
}
