// Test fixture: an APNs emulator with a private CA and signing key, and ApnsProviders pointed at it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock, type AppleAuth } from '@pushwire/core';
import { createTestCa, startApnsEmulator, type ApnsEmulator, type TestCa } from '@pushwire/sandbox-emulators';
import { ApnsProvider, type ApnsProviderOptions } from '../apns-provider.js';
import { RedisProviderTokens } from '../redis-provider-tokens.js';

export const TEAM_ID = 'TEAM123456';
export const KEY_ID = 'KEY1234567';
export const BUNDLE_ID = 'com.example.pushwire';
/** 64 hex digits, as APNs device tokens are today. */
export const DEVICE_TOKEN = 'ab'.repeat(32);

/** What the Sylk app type builds for an incoming call (headers without credentials). */
export const VOIP_HEADERS: Readonly<Record<string, string>> = {
  'apns-push-type': 'voip',
  'apns-expiration': '120',
  'apns-priority': '10',
  'apns-topic': `${BUNDLE_ID}.voip`,
};

export function voipPush(token = DEVICE_TOKEN, callId = 'call-1') {
  return {
    token,
    headers: { ...VOIP_HEADERS },
    payload: { event: 'incoming_session', 'call-id': callId, 'media-type': 'audio', from_uri: 'alice@example.com' },
  };
}

export interface ApnsFixture {
  readonly ca: TestCa;
  readonly emulator: ApnsEmulator;
  /** The emulator's clock (what APNs believes the time is). */
  readonly apnsClock: ManualClock;
  readonly keyPem: string;
  readonly tokenAuth: AppleAuth;
  /** A token store as one worker process would have it (own Redis connection), on `clock`. */
  tokenSource(clock?: ManualClock): RedisProviderTokens;
  /** A provider for the emulator; token auth with a fresh token source unless `auth`/`tokens` say otherwise. */
  provider(options?: Partial<ApnsProviderOptions>): ApnsProvider;
  close(): Promise<void>;
}

/** The CA and server certificate are slow to make (RSA): make them once per test file. */
export interface FixtureTls {
  ca: TestCa;
  server: { cert: string; key: string };
}

export function createFixtureTls(): FixtureTls {
  const ca = createTestCa();
  return { ca, server: ca.issueServer() };
}

export async function startApnsFixture({ ca, server }: FixtureTls): Promise<ApnsFixture> {
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const apnsClock = new ManualClock();
  const emulator = await startApnsEmulator({
    tls: server,
    clientCa: ca.cert,
    clock: apnsClock,
    keys: [{ teamId: TEAM_ID, keyId: KEY_ID, publicKeyPem }],
  });
  const prefix = `pushwire-test-${randomUUID()}`;
  const redisClients: Redis[] = [];
  const providers: ApnsProvider[] = [];
  const tokenAuth: AppleAuth = { kind: 'token', keyFile: 'AuthKey.p8', keyPem, keyId: KEY_ID, teamId: TEAM_ID };

  const tokenSource = (clock: ManualClock = apnsClock): RedisProviderTokens => {
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    redisClients.push(redis);
    return new RedisProviderTokens({ redis, teamId: TEAM_ID, keyId: KEY_ID, keyPem, prefix, clock });
  };

  return {
    ca,
    emulator,
    apnsClock,
    keyPem,
    tokenAuth,
    tokenSource,
    provider(options = {}) {
      const auth = options.auth ?? tokenAuth;
      const provider = new ApnsProvider({
        appId: `${BUNDLE_ID}.dev`,
        host: '127.0.0.1',
        port: emulator.port,
        caPem: ca.cert,
        requestTimeoutMs: 5000,
        ...options,
        auth,
        ...(auth.kind === 'token' ? { tokens: options.tokens ?? tokenSource() } : {}),
      });
      providers.push(provider);
      return provider;
    },
    async close() {
      await Promise.all(providers.map((p) => p.close()));
      const admin = redisClients[0];
      if (admin) {
        const keys = await admin.keys(`${prefix}:*`);
        if (keys.length > 0) await admin.del(...keys);
      }
      await Promise.all(redisClients.map((r) => r.quit()));
      await emulator.close();
    },
  };
}
