/**
 * A circuit breaker per bot, shared by every worker through Redis.
 * - **Refused logins** (`LoginRefusedError`: a wrong password, a locked account): after the first,
 *   one login at a time may try; after the second, the bot is **paused** until a person acts
 *   (`ferry secrets set`, or "resume" on the dashboard). The system's own lockout (five wrong
 *   passwords) is never reached.
 * - **A system that does not answer** (connection refused, 5xx on its log-in page): the circuit
 *   **opens** for a back-off (30 s, doubling, at most 10 min); after it one login probes, and
 *   a success closes the circuit.
 * While a circuit is paused or open, the bot's runs wait in the queue without spending attempts.
 */
import type { Redis } from 'ioredis';
import { BotPausedError } from '../errors.ts';
import type { RedisKeys } from '../redis/keys.ts';

/** Refusals that pause a bot. */
export const REFUSALS_TO_PAUSE = 2;
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 600_000;
/** How long one login may hold the probe. */
const PROBE_MS = 120_000;

/** How soon a run for a paused bot (or one whose probe another login holds) looks again: a person's "resume" is seen within this. */
export const PAUSED_RECHECK_MS = 60_000;

/** A bot's circuit: closed (absent), paused by refusals, or open while its system does not answer. */
export type Circuit =
  | { state: 'closed'; refusals: number }
  | { state: 'paused'; reason: string; since: number }
  | { state: 'open'; reason: string; since: number; retryAt: number };

/** Counts a refusal (ARGV: reason, now, refusals to pause); returns the refusals so far. */
const REFUSED = `
local refusals = redis.call('HINCRBY', KEYS[1], 'refusals', 1)
if refusals >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'state', 'paused', 'reason', ARGV[1], 'since', ARGV[2])
end
return refusals`;

/** Opens the circuit for a doubled back-off, unless it is paused (ARGV: reason, now, first, max back-off). */
const UNREACHABLE = `
if redis.call('HGET', KEYS[1], 'state') == 'paused' then return 0 end
local backoff = tonumber(redis.call('HGET', KEYS[1], 'backoffMs') or '0') * 2
if backoff < tonumber(ARGV[3]) then backoff = tonumber(ARGV[3]) end
if backoff > tonumber(ARGV[4]) then backoff = tonumber(ARGV[4]) end
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then redis.call('HSET', KEYS[1], 'since', ARGV[2]) end
redis.call('HSET', KEYS[1], 'state', 'open', 'reason', ARGV[1], 'backoffMs', backoff, 'retryAt', tonumber(ARGV[2]) + backoff)
return backoff`;

/** The error for a login the circuit forbids now, saying until when the run should wait. */
export function pausedError(bot: string, circuit: Circuit, now = Date.now()): BotPausedError {
  if (circuit.state === 'open') return new BotPausedError(bot, circuit.reason, Math.max(circuit.retryAt, now));
  if (circuit.state === 'paused') return new BotPausedError(bot, circuit.reason, now + PAUSED_RECHECK_MS);
  return new BotPausedError(bot, 'another login is trying the account after a refusal', now + PAUSED_RECHECK_MS);
}

export class BotCircuits {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  async get(bot: string): Promise<Circuit> {
    const raw = await this.redis.hgetall(this.keys.circuit(bot));
    if (raw.state === 'paused') return { state: 'paused', reason: raw.reason, since: Number(raw.since) };
    if (raw.state === 'open') return { state: 'open', reason: raw.reason, since: Number(raw.since), retryAt: Number(raw.retryAt) };
    return { state: 'closed', refusals: Number(raw.refusals ?? 0) };
  }

  /**
   * Whether a login may be tried now: always on a closed circuit with no refusal; on one with a
   * refusal, or open past its back-off, only by the one login that takes the probe; never while paused.
   */
  async mayLogIn(bot: string, now = Date.now()): Promise<boolean> {
    const circuit = await this.get(bot);
    if (circuit.state === 'paused') return false;
    if (circuit.state === 'open' && now < circuit.retryAt) return false;
    if (circuit.state === 'closed' && circuit.refusals === 0) return true;
    return (await this.redis.set(this.keys.circuitProbe(bot), String(now), 'PX', PROBE_MS, 'NX')) === 'OK';
  }

  /** A login went through: the circuit closes and forgets its refusals. */
  async succeeded(bot: string): Promise<void> {
    await this.redis.del(this.keys.circuit(bot), this.keys.circuitProbe(bot));
  }

  /** The system refused the account; resolves with the circuit after it (paused at the second refusal). */
  async refused(bot: string, reason: string, now = Date.now()): Promise<Circuit> {
    await this.redis.eval(REFUSED, 1, this.keys.circuit(bot), reason.slice(0, 300), now, REFUSALS_TO_PAUSE);
    await this.redis.del(this.keys.circuitProbe(bot));
    return this.get(bot);
  }

  /** The system did not answer its log-in page: the circuit opens (again) for a doubled back-off. */
  async unreachable(bot: string, reason: string, now = Date.now()): Promise<Circuit> {
    await this.redis.eval(UNREACHABLE, 1, this.keys.circuit(bot), reason.slice(0, 300), now, FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
    await this.redis.del(this.keys.circuitProbe(bot));
    return this.get(bot);
  }

  /** Closes the circuit by a person's hand (new credentials stored, or "resume"); true when it was not closed. */
  async resume(bot: string): Promise<boolean> {
    return (await this.redis.del(this.keys.circuit(bot), this.keys.circuitProbe(bot))) > 0;
  }
}
