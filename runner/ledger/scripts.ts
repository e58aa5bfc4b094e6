/**
 * The ledger's Lua scripts. Each transition is one atomic script that checks the
 * fencing token, so no step is ever a read followed by a separate write.
 */

/**
 * KEYS: entry, counts, index. ARGV: owner, nowMs, leaseMs, recipe, keyId, inFlightGraceMs. A DONE
 * whose `verified` is '0' (its run died before `verify`) is claimed like any open entry. Taking
 * over a SUBMITTING whose owner's lease lapsed (it never handed the record back) sets
 * `quietUntil`, that lease's end plus the grace: until then a write the owner sent may still land.
 * Returns CLAIMED, the previous state, the token and `quietUntil` (0 when none).
 */
export const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'DONE' and redis.call('HGET', KEYS[1], 'verified') ~= '0' then
  return {'DONE', redis.call('HGET', KEYS[1], 'receipt') or '', '0'}
end
if state == 'NEEDS_REVIEW' or state == 'DISCARDED' then
  return {state, redis.call('HGET', KEYS[1], 'reason') or '', '0'}
end
local now = tonumber(ARGV[2])
local owner = redis.call('HGET', KEYS[1], 'owner')
local lease = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0')
if owner and owner ~= ARGV[1] and lease > now then return {'BUSY', owner, tostring(lease)} end
local previous = state or 'NEW'
local quiet = tonumber(redis.call('HGET', KEYS[1], 'quietUntil') or '0')
if state == 'SUBMITTING' and owner and lease > 0 then
  quiet = math.max(quiet, lease + tonumber(ARGV[6]))
  redis.call('HSET', KEYS[1], 'quietUntil', quiet)
end
if not state then
  redis.call('HSET', KEYS[1], 'state', 'CLAIMED', 'recipe', ARGV[4], 'keyId', ARGV[5], 'createdAt', ARGV[2])
  redis.call('HINCRBY', KEYS[2], 'CLAIMED', 1)
end
local token = redis.call('HINCRBY', KEYS[1], 'token', 1)
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', now + tonumber(ARGV[3]), 'updatedAt', ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[5])
return {'CLAIMED', previous, tostring(token), tostring(quiet)}
`;

/**
 * KEYS: entry, counts, index. ARGV: token ('*' = override; '=STATE' = override only from
 * STATE), newState, nowMs, leaseMs (0 ends the lease), keyId, then field/value pairs. Entering
 * DONE drops what described the wait before it (the question's `task`, a held run's `reason`).
 * Returns 1, or 0 when fenced (or not in STATE).
 */
export const TRANSITION = `
local old = redis.call('HGET', KEYS[1], 'state')
if not old then return 0 end
if string.sub(ARGV[1], 1, 1) == '=' then
  if old ~= string.sub(ARGV[1], 2) then return 0 end
elseif ARGV[1] ~= '*' and redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
if old ~= ARGV[2] then
  redis.call('HINCRBY', KEYS[2], old, -1)
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[3])
if tonumber(ARGV[4]) > 0 then
  redis.call('HSET', KEYS[1], 'leaseUntil', tonumber(ARGV[3]) + tonumber(ARGV[4]))
else
  redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
end
if ARGV[2] == 'DONE' and old ~= 'DONE' then redis.call('HDEL', KEYS[1], 'task', 'reason') end
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[5])
return 1
`;

/** KEYS: entry. ARGV: token, nowMs, leaseMs. Extends the lease while the token holds. */
export const RENEW = `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'leaseUntil', tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1
`;
