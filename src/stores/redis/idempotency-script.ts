/**
 * Every state change of a Redis idempotency key is this one Lua script, so each is atomic and one round trip (as
 * BullMQ does with its locks). Values: `p:<token>` while a claim holds the key (it expires with the lease), `c` once
 * completed (it expires after the TTL).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { RedisCommand } from './redis-command.js';

/** @internal KEYS[1]: the key. ARGV: operation, token, milliseconds (the lease, or the TTL for `complete`). */
export const IDEMPOTENCY_SCRIPT = `local v = redis.call('GET', KEYS[1])
local mine = 'p:' .. ARGV[2]
local op = ARGV[1]
if op == 'begin' then
  if not v then
    redis.call('SET', KEYS[1], mine, 'PX', ARGV[3])
    return 0
  end
  if v == 'c' then return 2 end
  return 1
elseif op == 'renew' then
  if v == mine or not v then
    redis.call('SET', KEYS[1], mine, 'PX', ARGV[3])
    return 1
  end
  return 0
elseif op == 'complete' then
  if v == mine or not v then
    redis.call('SET', KEYS[1], 'c', 'PX', ARGV[3])
    return 1
  end
  return 0
elseif op == 'release' then
  if v == mine then
    redis.call('DEL', KEYS[1])
    return 1
  end
  return 0
end
return redis.error_reply('event-relay: unknown idempotency operation ' .. tostring(op))
`;

const SHA = createHash('sha1').update(IDEMPOTENCY_SCRIPT).digest('hex');

/** @internal The operations of {@link IDEMPOTENCY_SCRIPT}. */
export type IdempotencyOperation = 'begin' | 'renew' | 'complete' | 'release';

/**
 * @internal Runs the script by its SHA; when the server does not have it cached (first use, a restart, a failover),
 * by its text, which caches it for the next call. `ms` is already a string: it is the same for every call of a store.
 */
export async function runIdempotencyScript(
  command: RedisCommand,
  key: string,
  op: IdempotencyOperation,
  token: string,
  ms: string,
): Promise<number> {
  try {
    return Number(await command(['EVALSHA', SHA, '1', key, op, token, ms], key));
  } catch (error) {
    if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
    return Number(await command(['EVAL', IDEMPOTENCY_SCRIPT, '1', key, op, token, ms], key));
  }
}
