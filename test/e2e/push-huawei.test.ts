// Huawei Push Kit end to end: ingest and two workers against the Push Kit emulator, v1 and v2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_HUAWEI_APP_ID } from '@pushwire/sandbox-emulators';
import { startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 2, env: { PUSHWIRE_RETRY_BASE_MS: '20' } });
});
afterAll(async () => {
  await stack?.close();
});

const call = (token: string, callId: string, extra: Record<string, unknown> = {}) => ({
  'app-id': SYLK,
  platform: 'huawei',
  token,
  event: 'incoming_session',
  'call-id': callId,
  from: 'alice@example.com',
  'from-display-name': 'Alice',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
  ...extra,
});

describe('Huawei Push Kit', () => {
  it("v1: a call wake-up goes out as a data message, urgency HIGH, TTL = the call's remaining lifetime; Sylk's answer", async () => {
    const res = await stack.post('/push', call('hw-device-1', 'hw-call-1'));
    const url = stack.sandbox.huawei.sendUrl(SANDBOX_HUAWEI_APP_ID);
    expect(res).toMatchObject({
      status: 200,
      json: {
        code: 200,
        description: 'push notification response',
        data: { code: 200, reason: 'Success', url, platform: 'huawei', call_id: 'hw-call-1', token: 'hw-device-1' },
      },
    });
    const sent = stack.sandbox.huawei.sends.find((s) => s.token === 'hw-device-1');
    expect(sent?.data).toMatchObject({
      event: 'incoming_session',
      'call-id': 'hw-call-1',
      from_uri: 'alice@example.com',
      to_uri: 'bob@example.com',
    });
    const android = (sent!.json as { message: { android: { urgency: string; ttl: string } } }).message.android;
    expect(android.urgency).toBe('HIGH');
    const ttl = Number(android.ttl.replace(/s$/, ''));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('v1: the platform alias hms works; an invalid token (80300007) answers 410; a too-large message is not retried', async () => {
    expect((await stack.post('/push', call('hw-device-2', 'hw-call-2', { platform: 'hms' }))).status).toBe(200);
    const dead = await stack.post('/push', call('code-80300007', 'hw-call-3'));
    expect(dead).toMatchObject({
      status: 410,
      json: { data: { code: 410, reason: '80300007 Invalid Token', platform: 'huawei' } },
    });
    const tooLarge = await stack.post('/push', call('code-80300008', 'hw-call-4'));
    expect(tooLarge.status).toBe(400);
    expect(stack.sandbox.huawei.sends.filter((s) => s.token === 'code-80300008')).toHaveLength(1);
  });

  it('v1: internal errors (81000001) are retried with backoff until the service answers', async () => {
    stack.sandbox.huawei.failToken('hw-flaky', { code: '81000001', times: 2 });
    const res = await stack.post('/push', call('hw-flaky', 'hw-call-5'));
    expect(res).toMatchObject({ status: 200, json: { data: { code: 200 } } });
    expect(stack.sandbox.huawei.sends.filter((s) => s.token === 'hw-flaky').map((s) => s.code)).toEqual([
      '81000001',
      '81000001',
      '80000000',
    ]);
  });

  it('v2: a registered Huawei device is pushed to; a dead token removes it and the next push skips it', async () => {
    for (const [token, device] of [
      ['hw-v2-ok', 'dev-hw-1'],
      ['code-80100000', 'dev-hw-2'],
    ]) {
      const added = await stack.post('/v2/tokens/carol@example.com', {
        'app-id': SYLK,
        platform: 'huawei',
        token,
        'device-id': device,
      });
      expect(added).toMatchObject({ status: 200, json: { platform: 'huawei', token } });
    }
    const body = {
      event: 'incoming_session',
      'call-id': 'hw-v2-1',
      from: 'alice@example.com',
      to: 'carol@example.com',
      'media-type': 'video',
    };
    const first = await stack.post('/v2/tokens/carol@example.com/push', body);
    const results = (first.json as { data: Array<{ token: string; code: number; platform: string }> }).data;
    expect(results.map((r) => [r.token, r.code, r.platform])).toEqual([
      ['hw-v2-ok', 200, 'huawei'],
      ['code-80100000', 410, 'huawei'],
    ]);
    const second = await stack.post('/v2/tokens/carol@example.com/push', { ...body, 'call-id': 'hw-v2-2' });
    expect((second.json as { data: Array<{ token: string }> }).data.map((r) => r.token)).toEqual(['hw-v2-ok']);
  });

  it('both workers shared one access token: one grant at the token endpoint for every send', () => {
    const { grants, sends } = stack.sandbox.huawei;
    expect(grants).toHaveLength(1);
    expect(new Set(sends.map((s) => s.headers.authorization)).size).toBe(1);
    expect(sends.length).toBeGreaterThan(5);
  });
});
