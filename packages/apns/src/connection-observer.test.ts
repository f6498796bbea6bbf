// The observer callbacks a service counts connections and token age with, against the APNs emulator.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import type { ApnsConnectionObserver } from './connection-observer.js';
import { RedisProviderTokens } from './redis-provider-tokens.js';
import {
  createFixtureTls,
  KEY_ID,
  startApnsFixture,
  TEAM_ID,
  voipPush,
  type ApnsFixture,
  type FixtureTls,
} from './test-support/apns-fixture.js';

let tls: FixtureTls;
let fx: ApnsFixture;
beforeAll(() => {
  tls = createFixtureTls();
});
beforeEach(async () => {
  fx = await startApnsFixture(tls);
});
afterEach(async () => {
  await fx.close();
});

function recorder(): { events: string[]; observer: ApnsConnectionObserver; settled(count: number): Promise<void> } {
  const events: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const note = (event: string) => {
    events.push(event);
    for (const w of waiters.filter((w) => events.length >= w.count)) w.resolve();
  };
  return {
    events,
    observer: {
      connected: ({ reconnect }) => note(reconnect ? 'reconnected' : 'connected'),
      disconnected: () => note('disconnected'),
      goaway: ({ errorCode }) => note(`goaway ${errorCode}`),
    },
    settled: (count) =>
      events.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

describe('connection observer', () => {
  it('reports the first connection, a GOAWAY, its close, and the reconnect that follows', async () => {
    const seen = recorder();
    const provider = fx.provider({ connectionObserver: seen.observer });
    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect(seen.events).toEqual(['connected']);

    fx.emulator.goaway();
    await seen.settled(3);
    expect(seen.events).toEqual(['connected', 'goaway 0', 'disconnected']);

    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect(seen.events).toEqual(['connected', 'goaway 0', 'disconnected', 'reconnected']);
    await provider.close();
    await seen.settled(5);
    expect(seen.events.at(-1)).toBe('disconnected');
  });

  it('a connection that never came up is not reported', async () => {
    const seen = recorder();
    // A port nothing listens on: the connect fails before any SETTINGS.
    const provider = fx.provider({ connectionObserver: seen.observer, port: 1, requestTimeoutMs: 1000 });
    expect((await provider.send(voipPush())).kind).toBe('retryable');
    expect(seen.events).toEqual([]);
  });
});

describe('provider token observer', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('tells the issue time of every token handed out, cached or fresh', async () => {
    const prefix = `pushwire-test-${randomUUID()}`;
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const used: number[] = [];
    const tokens = new RedisProviderTokens({
      redis,
      teamId: TEAM_ID,
      keyId: KEY_ID,
      keyPem: fx.keyPem,
      prefix,
      clock,
      onTokenUsed: ({ issuedAtMs }) => used.push(issuedAtMs),
    });
    try {
      await tokens.get();
      clock.advance(10 * 60_000);
      await tokens.get();
      expect(used).toEqual([Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z')]);
      // Past the 45 min refresh: a new token, issued now.
      clock.advance(40 * 60_000);
      await tokens.get();
      expect(used.at(-1)).toBe(clock.now());
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
});
