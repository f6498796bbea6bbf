// v2 token storage in Redis (Pushwire's default): one hash per account, its registration order, and a set of
// accounts, kept in step by Lua.
import type { Redis } from 'ioredis';
import { keyPart, RedisScript } from '@pushwire/redis';
import { fromStoredRecord, recordKey, sortByRecordKey, toStoredRecord } from './stored-record.js';
import {
  deviceLimit,
  DeviceLimitError,
  StorageUnavailableError,
  type AddOptions,
  type DeviceRecord,
  type RemoveOptions,
  type RemoveResult,
  type TokenStorage,
} from './token-storage.js';

export interface RedisTokenStorageOptions {
  /**
   * The connection to use; its owner closes it (`close()` leaves it open). A connection with
   * `enableOfflineQueue: false` fails fastest; any other works, within `timeoutMs`. A single Redis (or a
   * Sentinel-managed one), not a Cluster: each change touches the account hash and the account set at once.
   */
  redis: Redis;
  /** Key prefix: `<prefix>:tokens:<account>` hashes and the `<prefix>:token-accounts` set. Default `pushwire`. */
  prefix?: string;
  /**
   * A Redis Cluster: an account's keys share a hash tag (`{<account>}`), and the accounts set is updated right
   * after each change instead of in the same script (it lives in another slot). Default false.
   */
  cluster?: boolean;
  /**
   * Bound on one operation, waiting for the connection included, ms. Default 2000. Past it the call fails with
   * StorageUnavailableError; a script already sent may still run afterwards, but always whole.
   */
  timeoutMs?: number;
}

// Both scripts touch the account hash, its order and the account set together, so a reader never sees one
// without the others. A device keeps its place when it re-registers (ZADD NX), as in Sylk's dict; one removed
// and added again goes last. KEYS: hash, order zset, sequence counter, and the accounts set, except on a
// Redis Cluster, where the set lives in another slot and is updated right after the script.
// ARGV[4]: the most devices the account may hold ('' for no limit); a new device past it is refused, unwritten.
const ADD = new RedisScript(`
if ARGV[4] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[3]) end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return 1`);

// ARGV: record key, account, app id, device id, '1' when a token condition applies, the token. Sylk's
// `<app>-<device>` key is ambiguous when ids contain '-', so the record's own ids must match too. cjson turns
// JSON null into a sentinel that is not a string, hence the type checks.
const REMOVE = new RedisScript(`
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'user-not-found' end
  return 'not-found'
end
local ok, record = pcall(cjson.decode, value)
if not ok or type(record) ~= 'table' or record['app_id'] ~= ARGV[3] or record['device_id'] ~= ARGV[4] then
  return 'not-found'
end
if ARGV[5] == '1' then
  local token, background = record['token'], record['background_token']
  if not ((type(token) == 'string' and token == ARGV[6]) or (type(background) == 'string' and background == ARGV[6])) then
    return 'not-found'
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  if KEYS[3] then redis.call('SREM', KEYS[3], ARGV[2]) end
  return 'removed-last'
end
return 'removed'`);

const SCAN_COUNT = 500;

export class RedisTokenStorage implements TokenStorage {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly cluster: boolean;
  private readyWait: Promise<void> | null = null;

  constructor(options: RedisTokenStorageOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'pushwire';
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.cluster = options.cluster ?? false;
    if (!(this.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  }

  /** The hash holding one account's devices. */
  accountKey(account: string): string {
    return `${this.prefix}:tokens:${this.tag(account)}`;
  }

  /** One account's record keys by registration order (score: a sequence number). */
  orderKey(account: string): string {
    return `${this.prefix}:token-order:${this.tag(account)}`;
  }

  /** The registration sequence counter: one for all accounts, or one per account on a Cluster (same slot). */
  sequenceKey(account: string): string {
    return this.cluster ? `${this.prefix}:token-seq:${this.tag(account)}` : `${this.prefix}:token-seq`;
  }

  /**
   * On a Cluster, the account as a hash tag, so its keys share a slot. Encoded like every other key part: an
   * account holding `{` or `}` must not choose the slot, nor make an empty tag that hashes the whole key.
   */
  private tag(account: string): string {
    return this.cluster ? `{${keyPart(account)}}` : account;
  }

  /** The set of accounts that have at least one device. */
  get accountsKey(): string {
    return `${this.prefix}:token-accounts`;
  }

  async add(account: string, device: DeviceRecord, options?: AddOptions): Promise<void> {
    const max = deviceLimit(options);
    const field = recordKey(device.appId, device.deviceId);
    const value = JSON.stringify(toStoredRecord(device));
    const keys = [this.accountKey(account), this.orderKey(account), this.sequenceKey(account)];
    const limit = Number.isFinite(max) ? String(max) : '';
    const added = await this.run(() =>
      ADD.run(this.redis, this.cluster ? keys : [...keys, this.accountsKey], [field, value, account, limit]),
    );
    if (added === 0) throw new DeviceLimitError(account, max);
    if (this.cluster) await this.run(() => this.redis.sadd(this.accountsKey, account));
  }

  /** In registration order, as Sylk lists them (the v2 answer's status is the last device's code). */
  async devices(account: string): Promise<DeviceRecord[]> {
    const key = this.accountKey(account);
    const replies = await this.run(() =>
      this.redis.multi().hgetall(key).zrange(this.orderKey(account), '0', '-1').exec(),
    );
    try {
      const [hashReply, orderReply] = replies ?? [];
      if (!hashReply || !orderReply || hashReply[0] || orderReply[0])
        throw hashReply?.[0] ?? orderReply?.[0] ?? new Error('transaction aborted');
      const hash = hashReply[1] as Record<string, string>;
      const order = orderReply[1] as string[];
      const parse = (field: string) => fromStoredRecord(JSON.parse(hash[field]!) as unknown, `${key} ${field}`);
      const ordered = order.filter((field) => hash[field] !== undefined);
      // Records written before the order was kept come after, by record key.
      const listed = new Set(ordered);
      const unlisted = sortByRecordKey(
        Object.keys(hash)
          .filter((f) => !listed.has(f))
          .map(parse),
      );
      return [...ordered.map(parse), ...unlisted];
    } catch (error) {
      throw new StorageUnavailableError('redis', error);
    }
  }

  async remove(account: string, appId: string, deviceId: string, options: RemoveOptions = {}): Promise<RemoveResult> {
    const token = options.onlyIfToken;
    const args = [recordKey(appId, deviceId), account, appId, deviceId, token === undefined ? '0' : '1', token ?? ''];
    const keys = [this.accountKey(account), this.orderKey(account)];
    const result = await this.run(() =>
      REMOVE.run(this.redis, this.cluster ? keys : [...keys, this.accountsKey], args),
    );
    if (result === 'removed-last') {
      // Cluster: the set is in another slot. Only an account still empty leaves it (an add may have raced in).
      if (this.cluster)
        await this.run(
          async () =>
            (await this.redis.exists(this.accountKey(account))) === 0 && this.redis.srem(this.accountsKey, account),
        );
      return 'removed';
    }
    if (result !== 'removed' && result !== 'not-found' && result !== 'user-not-found') {
      throw new StorageUnavailableError('redis', new Error(`unexpected script answer ${String(result)}`));
    }
    return result;
  }

  async *accounts(): AsyncIterable<string> {
    // SSCAN may repeat a member; the interface lists each account once.
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, members] = await this.run(() => this.redis.sscan(this.accountsKey, cursor, 'COUNT', SCAN_COUNT));
      cursor = next;
      for (const account of members) {
        if (seen.has(account)) continue;
        seen.add(account);
        yield account;
      }
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    // The connection belongs to the caller.
  }

  /** One operation, bounded in time; every failure becomes StorageUnavailableError. */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.connected(deadline);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
          Math.max(0, deadline - Date.now()),
        );
      });
      return await Promise.race([operation(), timeout]);
    } catch (error) {
      throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError('redis', error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits (until the deadline) for a connection that is still being (re)established; fails at once on a closed one. */
  private async connected(deadline: number): Promise<void> {
    const redis = this.redis;
    if (redis.status === 'ready') return;
    if (redis.status === 'end') throw new Error('connection is closed for good');
    if (redis.status === 'wait') redis.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not connected (${redis.status}) within ${this.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      await Promise.race([this.nextReady(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One pair of listeners however many operations wait (hundreds may, while a connection starts). */
  private nextReady(): Promise<void> {
    if (this.readyWait) return this.readyWait;
    const redis = this.redis;
    const wait = new Promise<void>((resolve, reject) => {
      const onReady = () => done(() => resolve());
      const onEnd = () => done(() => reject(new Error('connection closed')));
      const done = (settle: () => void) => {
        redis.off('ready', onReady);
        redis.off('end', onEnd);
        this.readyWait = null;
        settle();
      };
      redis.once('ready', onReady);
      redis.once('end', onEnd);
    });
    wait.catch(() => undefined);
    this.readyWait = wait;
    return wait;
  }
}
