/**
 * The durability check: the ledger is only as safe as Redis's last fsync, so Ferry refuses a
 * Redis that does not run with `appendonly yes` and `appendfsync always`, unless the
 * operator accepts the risk with `FERRY_ALLOW_UNSAFE_REDIS=1`.
 */
import type { Redis } from 'ioredis';

/** Raised when a Redis is not durable enough for the ledger, or its settings cannot be read. */
export class UnsafeRedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeRedisError';
  }
}

/** The persistence settings that exactly-once depends on. */
export interface RedisDurability {
  appendonly: string;
  appendfsync: string;
}

const REQUIRED: RedisDurability = { appendonly: 'yes', appendfsync: 'always' };
const ACCEPT_RISK = 'Set FERRY_ALLOW_UNSAFE_REDIS=1 only to accept that a crash may lose ledger writes, so records could be entered twice.';

/** Reads `appendonly` and `appendfsync` with CONFIG GET; explains when CONFIG is not allowed. */
export async function readDurability(redis: Redis, where: string): Promise<RedisDurability> {
  try {
    const [, appendonly] = (await redis.call('CONFIG', 'GET', 'appendonly')) as string[];
    const [, appendfsync] = (await redis.call('CONFIG', 'GET', 'appendfsync')) as string[];
    return { appendonly, appendfsync };
  } catch (error) {
    throw new UnsafeRedisError(
      `Ferry cannot read appendonly and appendfsync from Redis at ${where}: CONFIG GET was refused (${(error as Error).message}). ` +
      `Allow CONFIG GET for Ferry's Redis user (ACL: +config|get). ${ACCEPT_RISK}`,
    );
  }
}

/** The settings of `durability` that differ from what Ferry needs, as `name is X (needs Y)`. */
export function durabilityProblems(durability: RedisDurability): string[] {
  return (Object.keys(REQUIRED) as (keyof RedisDurability)[])
    .filter((name) => durability[name] !== REQUIRED[name])
    .map((name) => `${name} is ${durability[name] || 'unset'} (Ferry needs ${name} ${REQUIRED[name]})`);
}

/**
 * Throws {@link UnsafeRedisError} naming each setting that is off, unless `allowUnsafe`;
 * then it only reports them through `onUnsafe`.
 */
export async function checkDurability(redis: Redis, where: string, options: { allowUnsafe: boolean; onUnsafe?: (message: string) => void }): Promise<void> {
  let problems: string[];
  try {
    problems = durabilityProblems(await readDurability(redis, where));
  } catch (error) {
    if (!options.allowUnsafe) throw error;
    problems = [(error as Error).message];
  }
  if (problems.length === 0) return;
  const message = `Redis at ${where} is not durable enough for exactly-once: ${problems.join('; ')}.`;
  if (!options.allowUnsafe) throw new UnsafeRedisError(`${message} Set them in redis.conf, or unset REDIS_URL to use the embedded Redis. ${ACCEPT_RISK}`);
  options.onUnsafe?.(`ferry: ${message} Going on because FERRY_ALLOW_UNSAFE_REDIS=1.`);
}
