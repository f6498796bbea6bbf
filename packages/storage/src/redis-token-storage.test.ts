import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTokenStorage } from './redis-token-storage.js';
import {
  describeTokenStorageConcurrency,
  describeTokenStorageContract,
  device,
} from './test-support/token-storage-contract.js';
import { StorageUnavailableError } from './token-storage.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = new Redis(url);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
  }
  admin.disconnect();
});

async function openRedisBackend() {
  const prefix = `pwtest-storage-${randomUUID()}`;
  prefixes.push(prefix);
  const redis = new Redis(url);
  const storage = new RedisTokenStorage({ redis, prefix });
  return {
    storage,
    // The set and the hash must agree: the scripts change them together.
    async accountMarked(account: string) {
      const [inSet, hashExists] = await Promise.all([
        admin.sismember(storage.accountsKey, account),
        admin.exists(storage.accountKey(account)),
      ]);
      expect(inSet).toBe(hashExists);
      return inSet === 1;
    },
    async dispose() {
      redis.disconnect();
    },
  };
}

describeTokenStorageContract('redis', openRedisBackend);
describeTokenStorageConcurrency('redis', openRedisBackend);

describe('RedisTokenStorage', () => {
  it('stores one hash per account with Sylk-named JSON fields, and a set of accounts', async () => {
    const { storage, dispose } = await openRedisBackend();
    await storage.add('alice@example.com', device({ deviceId: 'd1', backgroundToken: null, userAgent: null }));
    expect(await admin.smembers(storage.accountsKey)).toEqual(['alice@example.com']);
    const raw = await admin.hget(storage.accountKey('alice@example.com'), 'com.example.sylk-ios-d1');
    expect(JSON.parse(raw!)).toEqual({
      app_id: 'com.example.sylk-ios',
      platform: 'apple',
      token: 'voip0123',
      background_token: null,
      device_id: 'd1',
      silent: true,
      user_agent: null,
    });
    await dispose();
  });

  it('on a Cluster, encodes the account in its hash tag: a caller can neither choose the slot nor empty the tag', async () => {
    const redis = new Redis(url);
    const storage = new RedisTokenStorage({ redis, prefix: 'pw', cluster: true });
    // Redis Cluster hashes what lies between the first '{' and the next '}' (the whole key if that is empty).
    const tagOf = (key: string) => {
      const open = key.indexOf('{');
      const close = key.indexOf('}', open + 1);
      return key.slice(open + 1, close);
    };
    for (const account of ['}x@example.com', '{slot}@example.com', 'a}{b@example.com', 'alice@example.com']) {
      for (const key of [storage.accountKey(account), storage.orderKey(account), storage.sequenceKey(account)]) {
        expect(tagOf(key), key).toBe(encodeURIComponent(account));
      }
    }
    redis.disconnect();
  });

  it('reports a corrupt stored record as unavailable storage instead of guessing', async () => {
    const { storage, dispose } = await openRedisBackend();
    await admin.hset(storage.accountKey('eve@example.com'), 'x-y', '{"app_id":"x"}');
    await expect(storage.devices('eve@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
    await dispose();
  });

  it('fails fast with StorageUnavailableError when Redis does not answer, and writes nothing', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = new Redis({
      port: await closedPort(),
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => 50,
    });
    closed.on('error', () => undefined);
    const prefix = `pwtest-storage-${randomUUID()}`;
    prefixes.push(prefix);
    const storage = new RedisTokenStorage({ redis: closed, prefix, timeoutMs: 300 });
    await expect(storage.add('alice@example.com', device())).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(storage.devices('alice@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(storage.remove('alice@example.com', 'a', 'b')).rejects.toBeInstanceOf(StorageUnavailableError);
    const error = await storage.add('alice@example.com', device()).catch((e: unknown) => e);
    expect(error).toMatchObject({ backend: 'redis' });
    closed.disconnect();
    expect(await admin.keys(`${prefix}:*`)).toEqual([]);
  });

  it('fails at once on a connection that was closed', async () => {
    const redis = new Redis(url);
    await redis.ping();
    await redis.quit();
    const storage = new RedisTokenStorage({ redis, prefix: 'pwtest-unused', timeoutMs: 60_000 });
    await expect(storage.devices('alice@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
