// One APNs provider token per (team id, key id), shared by every worker process through Redis.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { systemClock, type Clock } from '@pushwire/core';
import type { ProviderTokenSource } from './provider-token-source.js';
import { ProviderTokenSigner } from './provider-token-signer.js';

export interface RedisProviderTokensOptions {
  /** Shared by the worker processes; commands touch one key each, so a Cluster works too. */
  redis: Redis | Cluster;
  teamId: string;
  keyId: string;
  /** The .p8 signing key (PKCS#8 PEM, EC P-256). */
  keyPem: string;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** Time source for `iat` and token age. Default the system clock. */
  clock?: Clock;
  /**
   * Age at which a token is replaced, ms. Default 45 min. APNs rejects tokens older than 60 min and
   * answers TooManyProviderTokenUpdates to a new token less than 20 min after the previous one.
   */
  refreshAfterMs?: number;
  /** Lifetime of the minting lock, and how long other processes wait for its holder, ms. Default 10 s. */
  lockTtlMs?: number;
  /**
   * Told when `get()` hands out a token, with the token's issue time (ms since the epoch), so a service can
   * report the age of the token pushes are signed with. Default: nobody.
   */
  onTokenUsed?: (token: { issuedAtMs: number }) => void;
}

/** What Redis holds at `<prefix>:apns-jwt:<teamId>:<keyId>`. */
interface StoredToken {
  jwt: string;
  /** The token's `iat` claim: seconds since the epoch. */
  iat: number;
}

const MINUTE = 60_000;
/** APNs refuses tokens older than an hour: no use keeping one longer. */
const STORED_TTL_MS = 60 * MINUTE;
/** Rounds of "wait for the lock holder, then try the lock" before giving up on a silent holder. */
const MAX_ROUNDS = 3;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

const DELETE_IF_JWT = `local value = redis.call('get', KEYS[1])
if not value then return 0 end
local ok, token = pcall(cjson.decode, value)
if ok and type(token) == 'table' and token['jwt'] == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/**
 * Provider tokens kept in Redis: minted once per refresh by whichever process takes the lock first
 * (the others wait for its token, never mint their own), cached in process until they age out.
 * One instance per (team id, key id) per process; every ApnsProvider with those credentials shares it.
 */
export class RedisProviderTokens implements ProviderTokenSource {
  private readonly redis: Redis | Cluster;
  private readonly signer: ProviderTokenSigner;
  private readonly clock: Clock;
  private readonly refreshAfterMs: number;
  private readonly lockTtlMs: number;
  private readonly key: string;
  private readonly lockKey: string;
  private cached: StoredToken | undefined;
  private pending: Promise<string> | undefined;
  private readonly onTokenUsed: ((token: { issuedAtMs: number }) => void) | undefined;

  constructor(options: RedisProviderTokensOptions) {
    this.redis = options.redis;
    this.signer = new ProviderTokenSigner(options.teamId, options.keyId, options.keyPem);
    this.clock = options.clock ?? systemClock;
    this.refreshAfterMs = options.refreshAfterMs ?? 45 * MINUTE;
    this.lockTtlMs = options.lockTtlMs ?? 10_000;
    this.onTokenUsed = options.onTokenUsed;
    if (!(this.refreshAfterMs > 0 && this.refreshAfterMs < STORED_TTL_MS)) {
      throw new RangeError(`refreshAfterMs must be between 0 and ${STORED_TTL_MS} ms (APNs expires tokens at 60 min)`);
    }
    if (!(this.lockTtlMs > 0)) throw new RangeError('lockTtlMs must be positive');
    this.key = `${options.prefix ?? 'pushwire'}:apns-jwt:${options.teamId}:${options.keyId}`;
    this.lockKey = `${this.key}:lock`;
  }

  get(): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && this.isFresh(cached)) return Promise.resolve(this.used(cached));
    // Concurrent callers in this process share one Redis round trip (and at most one mint).
    this.pending ??= this.fetchShared()
      .then((token) => {
        this.cached = token;
        return this.used(token);
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  async invalidate(rejected: string): Promise<void> {
    if (this.cached?.jwt === rejected) this.cached = undefined;
    // Compare-and-delete: another process may already have replaced it, and that token must stay.
    await this.redis.eval(DELETE_IF_JWT, 1, this.key, rejected);
  }

  private used(token: StoredToken): string {
    this.onTokenUsed?.({ issuedAtMs: token.iat * 1000 });
    return token.jwt;
  }

  private isFresh(token: StoredToken): boolean {
    return this.clock.now() - token.iat * 1000 < this.refreshAfterMs;
  }

  private async fetchShared(): Promise<StoredToken> {
    for (let round = 1; ; round++) {
      const stored = await this.read();
      if (stored !== undefined && this.isFresh(stored)) return stored;

      const owner = randomUUID();
      if ((await this.redis.set(this.lockKey, owner, 'PX', this.lockTtlMs, 'NX')) === 'OK') {
        try {
          return await this.mintLocked();
        } finally {
          // If this fails the lock simply expires after lockTtlMs.
          await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, owner).catch(() => undefined);
        }
      }

      const minted = await this.waitForLockHolder();
      if (minted !== undefined) return minted;
      if (round >= MAX_ROUNDS) {
        throw new Error(
          `no APNs provider token for ${this.signer.teamId}/${this.signer.keyId}: the process holding ${this.lockKey} did not store one`,
        );
      }
    }
  }

  private async mintLocked(): Promise<StoredToken> {
    // Re-check under the lock: another process may have stored a token between our read and our lock.
    const stored = await this.read();
    if (stored !== undefined && this.isFresh(stored)) return stored;
    const iat = Math.floor(this.clock.now() / 1000);
    const token: StoredToken = { jwt: await this.signer.sign(iat), iat };
    await this.redis.set(this.key, JSON.stringify(token), 'PX', STORED_TTL_MS);
    return token;
  }

  /** Polls for the lock holder's token; undefined when the lock is gone (or timed out) without a fresh token. */
  private async waitForLockHolder(): Promise<StoredToken | undefined> {
    const giveUpAt = performance.now() + this.lockTtlMs;
    for (let delay = FIRST_POLL_MS; performance.now() < giveUpAt; delay = Math.min(delay * 2, MAX_POLL_MS)) {
      await sleep(delay);
      const stored = await this.read();
      if (stored !== undefined && this.isFresh(stored)) return stored;
      if ((await this.redis.exists(this.lockKey)) === 0) return undefined;
    }
    return undefined;
  }

  private async read(): Promise<StoredToken | undefined> {
    const value = await this.redis.get(this.key);
    if (value === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      const { jwt, iat } = parsed as Partial<StoredToken>;
      return typeof jwt === 'string' && typeof iat === 'number' ? { jwt, iat } : undefined;
    } catch {
      // Unreadable (written by something else): treat as missing, the next mint overwrites it.
      return undefined;
    }
  }
}
