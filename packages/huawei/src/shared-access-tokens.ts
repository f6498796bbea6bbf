// One Huawei access token per app (client id), shared by every worker process through Redis, refreshed early.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { systemClock, type Clock } from '@pushwire/core';
import type { GrantedToken } from './token-grant.js';

export interface SharedAccessTokensOptions {
  /** Shared by the worker processes; null keeps the token in this process only (e.g. `config check --live` without Redis). */
  redis: Redis | Cluster | null;
  /** Huawei's App ID: one token per app. */
  clientId: string;
  /** Asks Huawei for a new token. */
  grant: () => Promise<GrantedToken>;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  clock?: Clock;
  /** A token is replaced this long before it expires, ms (at most half its lifetime). Default 5 min. */
  refreshEarlyMs?: number;
  /** Lifetime of the grant lock, and how long other processes wait for its holder, ms. Default 10 s. */
  lockTtlMs?: number;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

const DELETE_IF_TOKEN = `local value = redis.call('get', KEYS[1])
if not value then return 0 end
local ok, token = pcall(cjson.decode, value)
if ok and type(token) == 'table' and token['accessToken'] == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

interface StoredToken extends GrantedToken {
  /** When it was granted, ms since the epoch. */
  grantedAt: number;
}

const MAX_ROUNDS = 3;

/**
 * The grant happens once per refresh in the whole deployment: whichever process takes the lock asks Huawei,
 * the others wait for the token it stores (as the APNs provider token is shared).
 */
export class SharedAccessTokens {
  private readonly clock: Clock;
  private readonly refreshEarlyMs: number;
  private readonly lockTtlMs: number;
  private readonly key: string;
  private readonly lockKey: string;
  private cached: StoredToken | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: SharedAccessTokensOptions) {
    this.clock = options.clock ?? systemClock;
    this.refreshEarlyMs = options.refreshEarlyMs ?? 5 * 60_000;
    this.lockTtlMs = options.lockTtlMs ?? 10_000;
    if (!(this.refreshEarlyMs >= 0)) throw new RangeError('refreshEarlyMs must not be negative');
    if (!(this.lockTtlMs > 0)) throw new RangeError('lockTtlMs must be positive');
    this.key = `${options.prefix ?? 'pushwire'}:huawei-token:${options.clientId}`;
    this.lockKey = `${this.key}:lock`;
  }

  /** A token that is not near its expiry: the cached one, the one in Redis, or a new grant. */
  get(): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && this.isFresh(cached)) return Promise.resolve(cached.accessToken);
    this.pending ??= this.fetch()
      .then((token) => {
        this.cached = token;
        return token.accessToken;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Huawei refused `stale` (expired or revoked early): drop it everywhere, unless already replaced. */
  async invalidate(stale: string): Promise<void> {
    if (this.cached?.accessToken === stale) this.cached = undefined;
    await this.options.redis?.eval(DELETE_IF_TOKEN, 1, this.key, stale);
  }

  private isFresh(token: StoredToken): boolean {
    const early = Math.min(this.refreshEarlyMs, (token.expiresAt - token.grantedAt) / 2);
    return this.clock.now() < token.expiresAt - early;
  }

  private async fetch(): Promise<StoredToken> {
    const redis = this.options.redis;
    if (redis === null) return this.grant();
    for (let round = 1; ; round++) {
      const stored = await this.read(redis);
      if (stored !== undefined && this.isFresh(stored)) return stored;
      const owner = randomUUID();
      if ((await redis.set(this.lockKey, owner, 'PX', this.lockTtlMs, 'NX')) === 'OK') {
        try {
          // Re-check under the lock: another process may have stored one between our read and our lock.
          const again = await this.read(redis);
          if (again !== undefined && this.isFresh(again)) return again;
          const token = await this.grant();
          const ttl = Math.max(1, token.expiresAt - this.clock.now());
          await redis.set(this.key, JSON.stringify(token), 'PX', ttl);
          return token;
        } finally {
          await redis.eval(RELEASE_LOCK, 1, this.lockKey, owner).catch(() => undefined);
        }
      }
      const granted = await this.waitForLockHolder(redis);
      if (granted !== undefined) return granted;
      if (round >= MAX_ROUNDS)
        throw new Error(
          `no Huawei access token for app ${this.options.clientId}: the process holding the grant lock stored none`,
        );
    }
  }

  private async grant(): Promise<StoredToken> {
    const grantedAt = this.clock.now();
    return { ...(await this.options.grant()), grantedAt };
  }

  private async waitForLockHolder(redis: Redis | Cluster): Promise<StoredToken | undefined> {
    const giveUpAt = performance.now() + this.lockTtlMs;
    for (let delay = 5; performance.now() < giveUpAt; delay = Math.min(delay * 2, 100)) {
      await sleep(delay);
      const stored = await this.read(redis);
      if (stored !== undefined && this.isFresh(stored)) return stored;
      // The holder failed (e.g. the grant was refused): take the lock ourselves and hear the reason first-hand.
      if ((await redis.exists(this.lockKey)) === 0) return undefined;
    }
    return undefined;
  }

  private async read(redis: Redis | Cluster): Promise<StoredToken | undefined> {
    const value = await redis.get(this.key);
    if (value === null) return undefined;
    try {
      const parsed = JSON.parse(value) as Partial<StoredToken> | null;
      const { accessToken, expiresAt, grantedAt } = parsed ?? {};
      return typeof accessToken === 'string' && typeof expiresAt === 'number' && typeof grantedAt === 'number'
        ? { accessToken, expiresAt, grantedAt }
        : undefined;
    } catch {
      return undefined;
    }
  }
}
