/**
 * The task store's Lua scripts: each change of a task's state is one atomic script, so an
 * answer and an expiry (or two answers) can never both win.
 */

/**
 * KEYS: task, open, escalations, expiries, answers. ARGV: id, nowMs, escalateAt, expireAt,
 * question id, ttlSeconds, then field/value pairs. Opens the task unless it is open already,
 * or answered with its answer still stored. Returns 1 when it (re)opened the task, else 0.
 */
export const OPEN_TASK = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'open' then return 0 end
if state == 'answered' and redis.call('HEXISTS', KEYS[5], ARGV[5]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'open', 'createdAt', ARGV[2], 'escalateAt', ARGV[3], 'expireAt', ARGV[4], 'escalated', '0')
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), ARGV[1])
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[1])
redis.call('ZADD', KEYS[4], tonumber(ARGV[4]), ARGV[1])
return 1
`;

/**
 * KEYS: task, answers, open, escalations, expiries, resumes. ARGV: id, nowMs, question id,
 * sealed answer, who, answers ttlSeconds. The first answer to an open task wins: it is stored,
 * the task closes, and the run is put on the resume list. Returns 'ok', or the task's state
 * ('answered', 'expired') or 'missing' when it was not open.
 */
export const ANSWER_TASK = `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'open' then return state or 'missing' end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
redis.call('HSET', KEYS[1], 'state', 'answered', 'answeredBy', ARGV[5], 'answeredAt', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZADD', KEYS[6], tonumber(ARGV[2]), ARGV[1])
return 'ok'
`;

/** KEYS: task, open, escalations, expiries. ARGV: id, nowMs. Closes an open task unanswered; 1 when it did. */
export const EXPIRE_TASK = `
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then
  redis.call('ZREM', KEYS[4], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'expired', 'expiredAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1
`;

/** KEYS: task, escalations. ARGV: id, nowMs. Hands an open task to ops as well; 1 when it did. */
export const ESCALATE_TASK = `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'open' or redis.call('HGET', KEYS[1], 'escalated') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'escalated', '1', 'escalatedAt', ARGV[2])
return 1
`;
