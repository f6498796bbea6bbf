import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { RedisProviderTokens, type RedisProviderTokensOptions } from './redis-provider-tokens.js';

const TEAM = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const MINUTE = 60_000;

const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyPem = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let prefix: string;
let clients: Redis[];

/** A separate connection per instance, as separate worker processes would have. */
function connect(): Redis {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(redis);
  return redis;
}

function tokens(clock: ManualClock, extra: Partial<RedisProviderTokensOptions> = {}): RedisProviderTokens {
  return new RedisProviderTokens({ redis: connect(), teamId: TEAM, keyId: KEY_ID, keyPem, prefix, clock, ...extra });
}

/** 20 concurrent get() spread over 3 instances (processes). */
async function burst(instances: RedisProviderTokens[]): Promise<string[]> {
  return Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % instances.length]!.get()));
}

beforeEach(() => {
  prefix = `pushwire-test-${randomUUID()}`;
  clients = [];
});

afterEach(async () => {
  const admin = clients[0];
  if (admin) {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
  }
  await Promise.all(clients.map((c) => c.quit()));
});

describe('RedisProviderTokens', () => {
  it('mints one ES256 token Apple-style and stores {jwt, iat} under <prefix>:apns-jwt:<team>:<key>', async () => {
    const clock = new ManualClock(Date.parse('2025-03-01T12:00:00Z'));
    const jwt = await tokens(clock).get();

    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: KEY_ID });
    const { payload } = await jwtVerify(jwt, await importSPKI(publicPem, 'ES256'), {
      issuer: TEAM,
      currentDate: new Date(clock.now()),
    });
    expect(payload).toEqual({ iss: TEAM, iat: clock.now() / 1000 });

    const admin = clients[0]!;
    const stored = JSON.parse((await admin.get(`${prefix}:apns-jwt:${TEAM}:${KEY_ID}`))!) as unknown;
    expect(stored).toEqual({ jwt, iat: clock.now() / 1000 });
    const ttl = await admin.pttl(`${prefix}:apns-jwt:${TEAM}:${KEY_ID}`);
    expect(ttl).toBeGreaterThan(59 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(60 * MINUTE);
    // The lock is released once the token is stored.
    expect(await admin.exists(`${prefix}:apns-jwt:${TEAM}:${KEY_ID}:lock`)).toBe(0);
  });

  it('20 concurrent get() across 3 processes sharing one Redis mint exactly one token', async () => {
    const clock = new ManualClock();
    const instances = [tokens(clock), tokens(clock), tokens(clock)];
    const got = await burst(instances);
    expect(new Set(got).size).toBe(1);
    // ECDSA signatures are randomised: a second mint, even in the same second, would differ.
    expect(got).toHaveLength(20);
  });

  it('keeps the token in process while it is young, without asking Redis', async () => {
    const clock = new ManualClock();
    const instance = tokens(clock);
    const first = await instance.get();
    await clients[0]!.del(`${prefix}:apns-jwt:${TEAM}:${KEY_ID}`);
    clock.advance(44 * MINUTE);
    expect(await instance.get()).toBe(first);
  });

  it('aged past refreshAfterMs: exactly one new token for everyone', async () => {
    const clock = new ManualClock();
    const instances = [tokens(clock), tokens(clock), tokens(clock)];
    const [old] = new Set(await burst(instances));

    clock.advance(45 * MINUTE + 1000);
    const renewed = new Set(await burst(instances));
    expect(renewed.size).toBe(1);
    const [fresh] = renewed;
    expect(fresh).not.toBe(old);
    expect(decodeJwt(fresh!).iat).toBe(Math.floor(clock.now() / 1000));

    // A process that had not asked yet gets the same renewed token from Redis.
    expect(await tokens(clock).get()).toBe(fresh);
  });

  it('honours a custom refreshAfterMs', async () => {
    const clock = new ManualClock();
    const instance = tokens(clock, { refreshAfterMs: 20 * MINUTE });
    const first = await instance.get();
    clock.advance(19 * MINUTE);
    expect(await instance.get()).toBe(first);
    clock.advance(2 * MINUTE);
    expect(await instance.get()).not.toBe(first);
  });

  it('invalidate(jwt) drops that token everywhere so the next get() mints once', async () => {
    const clock = new ManualClock();
    const [a, b, c] = [tokens(clock), tokens(clock), tokens(clock)];
    const rejected = await a.get();
    expect(await b.get()).toBe(rejected);

    await a.invalidate(rejected);
    const replaced = new Set(await burst([a, c]));
    expect(replaced.size).toBe(1);
    const [fresh] = replaced;
    expect(fresh).not.toBe(rejected);

    // b still holds the rejected one in process; APNs would reject it, and its invalidate must not
    // delete the replacement another process already stored.
    await b.invalidate(rejected);
    expect(await b.get()).toBe(fresh);
    expect(await c.get()).toBe(fresh);
  });

  it('a loser waits for the lock holder instead of minting its own', async () => {
    const clock = new ManualClock();
    const admin = connect();
    const lockKey = `${prefix}:apns-jwt:${TEAM}:${KEY_ID}:lock`;
    // Someone else (another process) holds the lock and is minting.
    await admin.set(lockKey, 'other-process', 'PX', 5000);

    // Observe the moment this instance fails to take the lock, so the token appears only after that.
    const redis = connect();
    let lostLock!: () => void;
    const lost = new Promise<void>((resolve) => (lostLock = resolve));
    const observed = new Proxy(redis, {
      get(target, prop) {
        if (prop === 'set') {
          return async (...args: Parameters<Redis['set']>) => {
            const reply = await (target.set as (...a: unknown[]) => Promise<unknown>)(...args);
            if (args.includes('NX') && reply === null) lostLock();
            return reply;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const waiting = new RedisProviderTokens({
      redis: observed,
      teamId: TEAM,
      keyId: KEY_ID,
      keyPem,
      prefix,
      clock,
    }).get();
    await lost;

    const theirs = { jwt: 'header.payload.signature-from-the-other-process', iat: Math.floor(clock.now() / 1000) };
    await admin.set(`${prefix}:apns-jwt:${TEAM}:${KEY_ID}`, JSON.stringify(theirs), 'PX', 60 * MINUTE);
    await admin.del(lockKey);
    expect(await waiting).toBe(theirs.jwt);
  });

  it('a lock holder that vanishes without storing a token: the waiter takes the lock after it expires and mints', async () => {
    const clock = new ManualClock();
    const admin = connect();
    const lockKey = `${prefix}:apns-jwt:${TEAM}:${KEY_ID}:lock`;
    await admin.set(lockKey, 'crashed-process', 'PX', 150);
    const jwt = await tokens(clock, { lockTtlMs: 1000 }).get();
    expect(decodeJwt(jwt).iss).toBe(TEAM);
    expect(await admin.exists(lockKey)).toBe(0);
  });

  it('refuses a key APNs cannot use', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const clock = new ManualClock();
    expect(() => tokens(clock, { keyPem: rsa })).toThrow(/EC P-256/);
    expect(() => tokens(clock, { keyPem: 'not a key' })).toThrow(/not a readable private key/);
    expect(() => tokens(clock, { refreshAfterMs: 60 * MINUTE })).toThrow(RangeError);
  });
});
