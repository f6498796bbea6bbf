// Cancel markers on real Redis: the docs/decisions/0009-idempotency-and-cancel.md matching rule (app-id + call-id, device-id when both have one).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelMarks, type CallScope } from './cancel-marks.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `pwtest-${randomUUID()}`;
const marks = new CancelMarks(redis, { prefix });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

/** The cancels' acceptance time; the wake-ups checked below were accepted 1 ms before it. */
const T = Date.now();
const scope = (callId: string, deviceId: string | null = null, appId = 'com.example.app'): CallScope => ({
  appId,
  callId,
  deviceId,
});

describe('CancelMarks', () => {
  it('a cancel without a device supersedes every wake-up of that call and app, with or without a device', async () => {
    await marks.mark([scope('c1')], 10_000, T);
    expect(await marks.isCancelled(scope('c1'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('c1', 'phone-1'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('c2'), T - 1)).toBe(false);
    expect(await marks.isCancelled(scope('c1', null, 'com.other.app'), T - 1)).toBe(false);
  });

  it('a cancel for one device supersedes that device and wake-ups naming no device, not other devices', async () => {
    await marks.mark([scope('c3', 'phone-1')], 10_000, T);
    expect(await marks.isCancelled(scope('c3', 'phone-1'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('c3'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('c3', 'phone-2'), T - 1)).toBe(false);
  });

  it('keeps call-ids with colons apart (SIP Call-IDs may contain them)', async () => {
    await marks.mark([scope('a:b', 'c')], 10_000, T);
    expect(await marks.isCancelled(scope('a', 'b:c'), T - 1)).toBe(false);
    expect(await marks.isCancelled(scope('a:b', 'c'), T - 1)).toBe(true);
    expect(marks.callKey('com.example.app', 'a:b@host')).toBe(`${prefix}:cancelled:{com.example.app:a%3Ab%40host}`);
  });

  it('takes call-ids with lone surrogates (valid JSON, not valid UTF-8) and keeps them apart', async () => {
    await marks.mark([scope('\ud800x', 'dev\udc00')], 10_000, T);
    expect(await marks.isCancelled(scope('\ud800x', 'dev\udc00'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('\ud801x', 'dev\udc00'), T - 1)).toBe(false);
    expect(marks.callKey('com.example.app', 'é\ud800')).toBe(`${prefix}:cancelled:{com.example.app:%C3%A9%uD800}`);
  });

  it('sets every key of a fan-out, each with the TTL', async () => {
    await marks.mark([scope('c4', 'd1'), scope('c4', 'd2')], 5_000, T);
    const keys = [
      marks.deviceKey('com.example.app', 'c4', 'd1'),
      marks.deviceKey('com.example.app', 'c4', 'd2'),
      marks.anyDeviceKey('com.example.app', 'c4'),
    ];
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    }
  });

  it('supersedes only wake-ups accepted before the cancel, never a later call attempt with the same call-id', async () => {
    await marks.mark([scope('c7')], 10_000, T);
    expect(await marks.isCancelled(scope('c7'), T - 1)).toBe(true);
    expect(await marks.isCancelled(scope('c7', 'phone-1'), T - 1000)).toBe(true);
    expect(await marks.isCancelled(scope('c7'), T + 1)).toBe(false);
    expect(await marks.isCancelled(scope('c7', 'phone-1'), T + 1)).toBe(false);
  });

  it('keeps the latest cancel time when cancels race, and a legacy `1` marker still supersedes', async () => {
    await marks.mark([scope('c8')], 10_000, T + 500);
    await marks.mark([scope('c8')], 10_000, T);
    expect(await redis.get(marks.callKey('com.example.app', 'c8'))).toBe(String(T + 500));
    expect(await marks.isCancelled(scope('c8'), T + 100)).toBe(true);
    await redis.set(marks.callKey('com.example.app', 'c9'), '1', 'PX', 10_000);
    expect(await marks.isCancelled(scope('c9'), T + 100)).toBe(true);
  });

  it("keeps one call's keys in one Redis Cluster slot (hash tag)", () => {
    const tag = (key: string) => key.slice(key.indexOf('{') + 1, key.indexOf('}'));
    const keys = [marks.callKey('a', 'x{y}'), marks.deviceKey('a', 'x{y}', 'd}'), marks.anyDeviceKey('a', 'x{y}')];
    expect(new Set(keys.map(tag)).size).toBe(1);
    expect(tag(keys[0]!)).toBe('a:x%7By%7D');
  });

  it('refuses a TTL below 1 ms', async () => {
    await expect(marks.mark([scope('c6')], 0, T)).rejects.toThrow(RangeError);
  });
});
