// Hand-checked Sylk expectations (test/golden/hand-checked, computed with the Python and httpx Sylk runs
// on): the APNs result `url` as Sylk's httpx prints it, and v2 devices in the order Sylk's dict keeps them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  FileTokenStorage,
  RedisTokenStorage,
  type DeviceRecord,
  type TokenStorage,
} from '../../packages/storage/src/index.js';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { apnsResultUrl } from '../../packages/apns/src/result-url.js';

interface Semantics {
  apns_result_urls: { host: string; port: number; token: string; url: string }[];
  device_order: {
    op: 'add' | 'remove';
    app_id: string;
    device_id: string;
    platform: 'apple' | 'firebase';
    order: string[];
  }[];
}

const golden = JSON.parse(
  readFileSync(new URL('./hand-checked/sylk-semantics.json', import.meta.url), 'utf8'),
) as Semantics;

describe('APNs result url', () => {
  it.each(golden.apns_result_urls)('$host:$port → $url', ({ host, port, token, url }) => {
    expect(apnsResultUrl(host, port, token)).toBe(url);
  });
});

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `pwtest-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), 'pushwire-order-'));
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, () => TokenStorage][] = [
  ['redis', () => new RedisTokenStorage({ redis, prefix })],
  ['file', () => new FileTokenStorage({ path: join(dir, 'tokens.json') })],
];

describe('v2 device order', () => {
  it.each(backends)('%s storage lists devices in Sylk’s dict order after every step', async (_name, open) => {
    const storage = open();
    const account = `order-${randomUUID().slice(0, 8)}@example.com`;
    for (const step of golden.device_order) {
      if (step.op === 'add') {
        const device: DeviceRecord = {
          appId: step.app_id,
          platform: step.platform,
          deviceId: step.device_id,
          token: `tok-${step.device_id}`,
          backgroundToken: null,
          silent: true,
          userAgent: null,
        };
        await storage.add(account, device);
      } else {
        expect(await storage.remove(account, step.app_id, step.device_id)).toBe('removed');
      }
      expect((await storage.devices(account)).map((d) => `${d.appId}-${d.deviceId}`)).toEqual(step.order);
    }
    await storage.close();
  });
});
