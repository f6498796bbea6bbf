// Idempotency-Key records (IETF httpapi idempotency-key semantics): what a keyed push request was and what it
// answered, so a repeat answers the same and sends nothing. One hash per (caller, route, key), living one
// window, counted in one sorted set so the number kept has a global bound.
import { createHash, randomBytes } from 'node:crypto';
import type { Platform } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { RedisScript } from '@pushwire/redis';

export interface IdempotencyStoreOptions {
  redis: Redis;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** How long a key is remembered after its first use, ms. Default 86400000 (24 h). */
  windowMs?: number;
  /** Most keys remembered at once, all callers together; past it a new key is refused (`full`). Default 100000. */
  maxKeys?: number;
  /**
   * How long the first request may take to be accepted, ms: until then a repeat is told `in-flight`; after it
   * a repeat takes the acceptance over (with the same job ids, so nothing is queued twice). Default 10000.
   */
  leaseMs?: number;
}

/** Who used the key where: a key is private to one caller (API key, else client address) on one route. */
export interface IdempotencyScope {
  caller: string;
  route: string;
  key: string;
}

/** An answer exactly as it was sent: status and body text. */
export interface StoredAnswer {
  status: number;
  body: string;
}

/** A job of an accepted keyed request, for a repeat that waits for the first request's results. */
export interface AcceptedJobRef {
  appId: string;
  platform: Platform;
  jobId: string;
}

/** The right to accept (or finish answering) one keyed request. */
export interface IdempotencyTicket {
  /** The record's Redis key. */
  readonly record: string;
  /** A short digest of the record, fit for logs (the key itself never is). */
  readonly id: string;
  /** Random, made at the key's first use: the job ids derive from it (`keyedJobId`). */
  readonly nonce: string;
}

export type IdempotencyClaim =
  /** Accept the request now, with job ids from `ticket.nonce`. */
  | { kind: 'accept'; ticket: IdempotencyTicket }
  /** The first request was answered: send this again. */
  | { kind: 'answered'; answer: StoredAnswer; id: string }
  /** The first request's jobs are queued and it waits for their results (sync): wait for them too. */
  | { kind: 'accepted'; ticket: IdempotencyTicket; jobs: AcceptedJobRef[]; acceptedAt: number }
  /** The key was used for another request. */
  | { kind: 'conflict'; id: string }
  /** The first request is still being accepted. */
  | { kind: 'in-flight'; id: string }
  /** `maxKeys` keys are kept: no new one until the oldest expires (in `retryAfterMs`). */
  | { kind: 'full'; retryAfterMs: number };

// Redis's clock (TIME) decides leases and expiry, so ingest instances whose clocks disagree still agree.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// A record is one JSON string (a hash holding a few hundred bytes of answer costs twice as much memory):
// f fingerprint, s state (accepting | accepted | done), n nonce, l lease end (ms), j jobs (JSON text),
// a acceptance time (ms), c status, b body. SET ... KEEPTTL keeps the window set at the key's first use.

// KEYS: record, index. ARGV: fingerprint, new nonce, window ms, lease ms, max keys, index member.
const CLAIM = new RedisScript(`${NOW}
local raw = redis.call('GET', KEYS[1])
if raw then
  local r = cjson.decode(raw)
  if r.f ~= ARGV[1] then return {'conflict'} end
  if r.s == 'done' then return {'answered', tostring(r.c), r.b} end
  if r.s == 'accepted' then return {'accepted', r.n, r.j, string.format('%.0f', r.a)} end
  if r.l > now then return {'in-flight'} end
  r.l = now + tonumber(ARGV[4])
  redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
  return {'accept', r.n}
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', now))
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'full', string.format('%.0f', tonumber(oldest[2]) - now)}
end
local r = {f = ARGV[1], s = 'accepting', n = ARGV[2], l = now + tonumber(ARGV[4])}
redis.call('SET', KEYS[1], cjson.encode(r), 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], string.format('%.0f', now + tonumber(ARGV[3])), ARGV[6])
return {'accept', ARGV[2]}`);

// KEYS: record. ARGV: nonce, jobs (JSON). The jobs are queued: a repeat now waits for their results.
const ACCEPTED = new RedisScript(`${NOW}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.n ~= ARGV[1] or r.s ~= 'accepting' then return 0 end
r.s = 'accepted'
r.j = ARGV[2]
r.a = now
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1`);

// KEYS: record. ARGV: nonce, status, body. The first answer stored wins; every request answers it.
const COMPLETE = new RedisScript(`
local raw = redis.call('GET', KEYS[1])
if not raw then return {ARGV[2], ARGV[3]} end
local r = cjson.decode(raw)
if r.s == 'done' then return {tostring(r.c), r.b} end
if r.n == ARGV[1] then
  redis.call('SET', KEYS[1], cjson.encode({f = r.f, s = 'done', n = r.n, c = tonumber(ARGV[2]), b = ARGV[3]}), 'KEEPTTL')
end
return {ARGV[2], ARGV[3]}`);

// KEYS: record. ARGV: nonce. Nothing was accepted: a repeat may take over at once (same nonce, same job ids).
const RELEASE = new RedisScript(`
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
if r.n == ARGV[1] and r.s == 'accepting' then
  r.l = 0
  redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
end
return 1`);

/**
 * Keys are `<prefix>:idempotency:{<prefix>:idempotency}:<sha256 of caller, route and key>` and the index
 * `...:index` (a sorted set of records by expiry time). They share one hash tag, so on a Redis Cluster each
 * script's keys are in one slot (the queues' keys are elsewhere: a record and its jobs are separate writes,
 * which the nonce-derived job ids make safe to repeat).
 */
export class IdempotencyStore {
  readonly windowMs: number;
  readonly maxKeys: number;
  private readonly prefix: string;
  private readonly leaseMs: number;

  constructor(private readonly options: IdempotencyStoreOptions) {
    this.prefix = `${options.prefix ?? 'pushwire'}:idempotency:{${options.prefix ?? 'pushwire'}:idempotency}`;
    this.windowMs = options.windowMs ?? 86_400_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.leaseMs = options.leaseMs ?? 10_000;
    if (!(this.windowMs >= 1000))
      throw new RangeError(`idempotency window must be at least 1000 ms, got ${this.windowMs}`);
    if (!(Number.isInteger(this.maxKeys) && this.maxKeys >= 1))
      throw new RangeError(`idempotency key limit must be a positive integer, got ${this.maxKeys}`);
  }

  /** The sorted set counting the keys kept. */
  get indexKey(): string {
    return `${this.prefix}:index`;
  }

  /** The record of one scoped key and its short id for logs. */
  recordOf(scope: IdempotencyScope): { record: string; id: string; hash: string } {
    const hash = createHash('sha256').update(`${scope.caller}\u0000${scope.route}\u0000${scope.key}`).digest('hex');
    return { record: `${this.prefix}:${hash}`, id: hash.slice(0, 12), hash };
  }

  /** What to do with a keyed request whose canonical form hashes to `fingerprint`. Rejects when Redis does. */
  async claim(scope: IdempotencyScope, fingerprint: string): Promise<IdempotencyClaim> {
    const { record, id, hash } = this.recordOf(scope);
    const nonce = randomBytes(16).toString('hex');
    const reply = (await CLAIM.run(
      this.options.redis,
      [record, this.indexKey],
      [fingerprint, nonce, String(this.windowMs), String(this.leaseMs), String(this.maxKeys), hash],
    )) as (string | null)[];
    const ticket = (n: string | null | undefined): IdempotencyTicket => ({ record, id, nonce: n ?? nonce });
    switch (reply[0]) {
      case 'accept':
        return { kind: 'accept', ticket: ticket(reply[1]) };
      case 'answered':
        return { kind: 'answered', answer: { status: Number(reply[1]), body: reply[2] ?? '' }, id };
      case 'accepted':
        return {
          kind: 'accepted',
          ticket: ticket(reply[1]),
          jobs: JSON.parse(reply[2] ?? '[]') as AcceptedJobRef[],
          acceptedAt: Number(reply[3]),
        };
      case 'conflict':
        return { kind: 'conflict', id };
      case 'in-flight':
        return { kind: 'in-flight', id };
      case 'full':
        return { kind: 'full', retryAfterMs: Math.max(1, Number(reply[1])) };
      default:
        throw new Error(`unexpected idempotency reply ${JSON.stringify(reply)}`);
    }
  }

  /** The request's jobs are queued and it waits for their results: a repeat waits for them too. */
  async accepted(ticket: IdempotencyTicket, jobs: readonly AcceptedJobRef[]): Promise<void> {
    await ACCEPTED.run(this.options.redis, [ticket.record], [ticket.nonce, JSON.stringify(jobs)]);
  }

  /**
   * Stores the answer unless one is stored already, and returns the one stored: the first request and any
   * repeat that had to finish for it answer the same bytes.
   */
  async complete(ticket: IdempotencyTicket, answer: StoredAnswer): Promise<StoredAnswer> {
    const reply = (await COMPLETE.run(
      this.options.redis,
      [ticket.record],
      [ticket.nonce, String(answer.status), answer.body],
    )) as [string, string];
    return { status: Number(reply[0]), body: reply[1] };
  }

  /** Nothing was accepted (Redis refused, queue full): the key is free for a repeat at once. */
  async release(ticket: IdempotencyTicket): Promise<void> {
    await RELEASE.run(this.options.redis, [ticket.record], [ticket.nonce]);
  }
}
