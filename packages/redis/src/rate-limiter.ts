// A per-name request rate shared by every ingest instance: GCRA (a token bucket kept as one timestamp) in
// one Lua round trip on Redis, so N instances together allow the configured rate, not N times it.
import type { Clock } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { keyPart } from './key-part.js';

export interface RateLimit {
  /** Sustained requests per second (may be fractional). */
  perSecond: number;
  /** Requests allowed back to back after a quiet spell (at least 1). */
  burst: number;
}

export type RateVerdict =
  | { allowed: true }
  | { allowed: false /** Until one more request is allowed, ms (> 0). */; retryAfterMs: number };

export interface RateLimiterOptions {
  redis: Redis;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /**
   * Time source. Default: Redis's own clock (TIME inside the script), so instances on machines whose clocks
   * disagree still share one bucket correctly. Tests pass a `ManualClock`.
   */
  clock?: Clock;
}

// KEYS[1]: the bucket. ARGV: now (µs; '' = Redis TIME), emission interval (µs per request), burst.
// The key holds the theoretical arrival time (TAT) of the next request; a request is allowed when the TAT,
// after adding it, is at most `burst` intervals ahead of now. Microsecond integers printed with %.0f stay exact
// (Lua's tostring would switch to exponent form). The key expires once the bucket is full again.
const TAKE = `
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local next_tat = tat + interval
local allowed_at = next_tat - burst * interval
if now < allowed_at then
  return {0, string.format('%.0f', allowed_at - now)}
end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return {1, '0'}`;

/** Keys are `<prefix>:ratelimit:<name>` (one key per name: no hash tag needed on a Redis Cluster). */
export class RateLimiter {
  private readonly prefix: string;

  constructor(private readonly options: RateLimiterOptions) {
    this.prefix = options.prefix ?? 'pushwire';
  }

  /** Counts one request of `name` against `limit`; rejects (Redis errors) are the caller's to handle. */
  async take(name: string, limit: RateLimit): Promise<RateVerdict> {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1))
      throw new RangeError(`invalid rate limit for ${name}: ${JSON.stringify(limit)}`);
    const now = this.options.clock ? String(Math.round(this.options.clock.now() * 1000)) : '';
    const intervalUs = Math.max(1, Math.round(1_000_000 / limit.perSecond));
    const reply = (await this.options.redis.eval(
      TAKE,
      1,
      this.key(name),
      now,
      String(intervalUs),
      String(Math.floor(limit.burst)),
    )) as [number, string];
    if (reply[0] === 1) return { allowed: true };
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(Number(reply[1]) / 1000)) };
  }

  /** The Redis key of a name's bucket. */
  key(name: string): string {
    return `${this.prefix}:ratelimit:${keyPart(name)}`;
  }
}
