import { CassandraTokenStorage } from '@pushwire/storage/cassandra';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../pushwire/src/local-redis.js';
import { createTestIngest } from '../test-support/ingest-app.js';

const add = {
  'app-id': 'com.example.sylk',
  platform: 'apple',
  token: `${'a'.repeat(64)}-${'b'.repeat(64)}`,
  'device-id': 'urn:uuid:d1',
};
const push = { event: 'incoming_session', 'call-id': 'c', from: 'a@x', to: 'b@x', 'media-type': 'audio' };

const ingest = await createTestIngest();
afterAll(() => ingest.close());

async function req(app: typeof ingest.app, method: string, path: string, body: unknown) {
  const r = await app.request(path, { method, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as unknown };
}

describe('v2 tokens (in process, Redis storage)', () => {
  it('stores the Apple token split in two and echoes the request', async () => {
    expect(await req(ingest.app, 'POST', '/v2/tokens/alice@example.com', add)).toEqual({
      status: 200,
      json: {
        'app-id': 'com.example.sylk',
        platform: 'apple',
        token: add.token,
        'device-id': 'd1',
        silent: true,
        'user-agent': null,
      },
    });
  });

  it('rejects a malformed account, an unknown app and a missing token with clear 4xx', async () => {
    expect(await req(ingest.app, 'POST', '/v2/tokens/alice', add)).toEqual({
      status: 400,
      json: { code: 400, description: "account must be 'user@domain'", data: '' },
    });
    expect((await req(ingest.app, 'POST', '/v2/tokens/alice@example.com', { ...add, 'app-id': 'nope' })).status).toBe(
      404,
    );
    expect(await req(ingest.app, 'POST', '/v2/tokens/alice@example.com', { ...add, token: undefined })).toEqual({
      status: 400,
      json: { code: 400, description: 'field required: token', data: '' },
    });
    expect(await req(ingest.app, 'PUT', '/v2/tokens/alice@example.com', add)).toEqual({
      status: 405,
      json: { detail: 'Method Not Allowed' },
    });
  });

  it('refuses a device past PUSHWIRE_MAX_DEVICES_PER_ACCOUNT with 409 in the envelope, storing nothing', async () => {
    const small = await createTestIngest({ maxDevicesPerAccount: 2 });
    try {
      const device = (id: string) => ({ ...add, 'device-id': id });
      for (const id of ['p1', 'p2'])
        expect((await req(small.app, 'POST', '/v2/tokens/full@example.com', device(id))).status).toBe(200);
      expect(await req(small.app, 'POST', '/v2/tokens/full@example.com', device('p3'))).toEqual({
        status: 409,
        json: {
          code: 409,
          description:
            'account already holds the maximum of 2 devices (PUSHWIRE_MAX_DEVICES_PER_ACCOUNT): remove one first',
          data: { account: 'full@example.com', max_devices: 2 },
        },
      });
      // Re-registering a device it holds is fine; the refused one was not stored, so a push reaches two.
      expect((await req(small.app, 'POST', '/v2/tokens/full@example.com', device('p2'))).status).toBe(200);
      const pushed = await req(small.app, 'POST', '/v2/tokens/full@example.com/push', push);
      expect(pushed.status).toBe(202);
      expect(await small.redis.hlen(`${small.prefix}:tokens:full@example.com`)).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('holds 50 devices per account by default', async () => {
    for (let i = 0; i < 50; i += 1)
      expect(
        (await req(ingest.app, 'POST', '/v2/tokens/many@example.com', { ...add, 'device-id': `m${i}` })).status,
      ).toBe(200);
    expect((await req(ingest.app, 'POST', '/v2/tokens/many@example.com', { ...add, 'device-id': 'm50' })).status).toBe(
      409,
    );
  });

  it('answers 503, writing nothing, when Redis storage is unreachable', async () => {
    const down = await createTestIngest({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const res = await req(down.app, 'POST', '/v2/tokens/alice@example.com', add);
      expect(res).toMatchObject({
        status: 503,
        json: { code: 503, description: 'token storage unavailable (redis): retry later' },
      });
      expect((await req(down.app, 'POST', '/v2/tokens/alice@example.com/push', push)).status).toBe(503);
    } finally {
      await down.close();
    }
  });

  it('answers 503 when Cassandra storage is unreachable', async () => {
    const port = await freePort();
    const storage = new CassandraTokenStorage({
      contactPoints: ['127.0.0.1'],
      port,
      keyspace: 'pushwire',
      requestTimeoutMs: 1000,
    });
    const cass = await createTestIngest({ storage });
    try {
      const res = await req(cass.app, 'POST', '/v2/tokens/alice@example.com', add);
      expect(res).toMatchObject({
        status: 503,
        json: { code: 503, description: 'token storage unavailable (cassandra): retry later' },
      });
      expect(
        await req(cass.app, 'DELETE', '/v2/tokens/alice@example.com', {
          'app-id': 'com.example.sylk',
          'device-id': 'd1',
        }),
      ).toMatchObject({ status: 503 });
    } finally {
      await storage.close();
      await cass.close();
    }
  });
});
