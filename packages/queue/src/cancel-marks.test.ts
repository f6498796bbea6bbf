// Cancel markers on real Redis: the DECISIONS 9 matching rule (app-id + call-id, device-id when both have one).
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

const scope = (callId: string, deviceId: string | null = null, appId = 'com.example.app'): CallScope => ({ appId, callId, deviceId });

describe('CancelMarks', () => {
  it('a cancel without a device supersedes every wake-up of that call and app, with or without a device', async () => {
    await marks.mark([scope('c1')], 10_000);
    expect(await marks.isCancelled(scope('c1'))).toBe(true);
    expect(await marks.isCancelled(scope('c1', 'phone-1'))).toBe(true);
    expect(await marks.isCancelled(scope('c2'))).toBe(false);
    expect(await marks.isCancelled(scope('c1', null, 'com.other.app'))).toBe(false);
  });

  it('a cancel for one device supersedes that device and wake-ups naming no device, not other devices', async () => {
    await marks.mark([scope('c3', 'phone-1')], 10_000);
    expect(await marks.isCancelled(scope('c3', 'phone-1'))).toBe(true);
    expect(await marks.isCancelled(scope('c3'))).toBe(true);
    expect(await marks.isCancelled(scope('c3', 'phone-2'))).toBe(false);
  });

  it('keeps call-ids with colons apart (SIP Call-IDs may contain them)', async () => {
    await marks.mark([scope('a:b', 'c')], 10_000);
    expect(await marks.isCancelled(scope('a', 'b:c'))).toBe(false);
    expect(await marks.isCancelled(scope('a:b', 'c'))).toBe(true);
    expect(marks.callKey('com.example.app', 'a:b@host')).toBe(`${prefix}:cancelled:com.example.app:a%3Ab%40host`);
  });

  it('takes call-ids with lone surrogates (valid JSON, not valid UTF-8) and keeps them apart', async () => {
    await marks.mark([scope('\ud800x', 'dev\udc00')], 10_000);
    expect(await marks.isCancelled(scope('\ud800x', 'dev\udc00'))).toBe(true);
    expect(await marks.isCancelled(scope('\ud801x', 'dev\udc00'))).toBe(false);
    expect(marks.callKey('com.example.app', 'é\ud800')).toBe(`${prefix}:cancelled:com.example.app:%C3%A9%uD800`);
  });

  it('sets every key of a fan-out, each with the TTL', async () => {
    await marks.mark([scope('c4', 'd1'), scope('c4', 'd2')], 5_000);
    const keys = [marks.deviceKey('com.example.app', 'c4', 'd1'), marks.deviceKey('com.example.app', 'c4', 'd2'), marks.anyDeviceKey('com.example.app', 'c4')];
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    }
  });

  it('refuses a TTL below 1 ms', async () => {
    await expect(marks.mark([scope('c6')], 0)).rejects.toThrow(RangeError);
  });
});
