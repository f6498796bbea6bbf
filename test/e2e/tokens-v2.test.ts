// v2: register devices once, push "to an account"; dead tokens disappear from storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const voip = (n: number) => n.toString(16).padStart(64, 'a');
const background = (n: number) => n.toString(16).padStart(64, 'b');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { PUSHWIRE_RETRY_BASE_MS: '20' } });
});
afterAll(async () => {
  await stack?.close();
});

async function del(path: string, body: unknown) {
  const res = await fetch(`${stack.url}${path}`, { method: 'DELETE', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
}

const push = (event: string, callId: string, extra: Record<string, unknown> = {}) => ({
  event,
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  ...extra,
});

describe('v2 token API', () => {
  it('adds devices (Apple token split at the first dash), echoing Sylk’s alias keys', async () => {
    const a1 = await stack.post('/v2/tokens/bob@example.com', {
      'app-id': SYLK,
      platform: 'ios',
      token: `${voip(1)}-${background(1)}`,
      'device-id': 'urn:uuid:dev-apple-1',
      silent: '1',
      'user-agent': 'Sylk/5',
    });
    expect(a1).toMatchObject({
      status: 200,
      json: {
        'app-id': SYLK,
        platform: 'apple',
        token: `${voip(1)}-${background(1)}`,
        'device-id': 'dev-apple-1',
        silent: true,
        'user-agent': 'Sylk/5',
      },
    });
    expect(
      (
        await stack.post('/v2/tokens/bob@example.com', {
          'app-id': SYLK,
          platform: 'apple',
          token: `${voip(2)}-${background(2)}`,
          'device-id': 'dev-apple-2',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await stack.post('/v2/tokens/bob@example.com', {
          'app-id': SYLK,
          platform: 'android',
          token: 'fcm-v2-1',
          'device-id': 'dev-android-1',
        })
      ).status,
    ).toBe(200);
  });

  it('pushes a call to every device: VoIP tokens for Apple, one emulator request each', async () => {
    const res = await stack.post('/v2/tokens/bob@example.com/push', push('incoming_session', 'v2-call-1'));
    expect(res.status).toBe(200);
    const body = res.json as { code: number; description: string; data: Array<{ token: string; code: number }> };
    expect(body.description).toBe('push notification responses');
    expect(body.data.map((d) => d.token).sort()).toEqual([voip(1), voip(2), 'fcm-v2-1'].sort());
    const apple = stack.sandbox.apns.requests.filter(
      (r) => (r.json as { 'call-id'?: string })?.['call-id'] === 'v2-call-1',
    );
    expect(apple.map((r) => r.token).sort()).toEqual([voip(1), voip(2)].sort());
    expect(apple.every((r) => r.headers['apns-topic'] === 'com.pushwire.sandbox.sylk.voip')).toBe(true);
  });

  it('sends a cancel to the background tokens', async () => {
    const res = await stack.post('/v2/tokens/bob@example.com/push', push('cancel', 'v2-call-1', { reason: 'hangup' }));
    expect(res.status).toBe(200);
    const apple = stack.sandbox.apns.requests.filter(
      (r) =>
        (r.json as { event?: string; 'call-id'?: string })?.event === 'cancel' &&
        (r.json as { 'call-id'?: string })['call-id'] === 'v2-call-1',
    );
    expect(apple.map((r) => r.token).sort()).toEqual([background(1), background(2)].sort());
  });

  it('pushes to one device by its id (normalised or as registered)', async () => {
    const res = await stack.post(
      '/v2/tokens/bob@example.com/push/urn:uuid:dev-apple-1',
      push('message', 'v2-msg-1', { 'media-type': 'sms', content: 'hi' }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { data: Array<{ token: string }> }).data.map((d) => d.token)).toEqual([background(1)]);
  });

  it('a dead token (410 at APNs) removes that device; the next push skips it', async () => {
    const before = stack.sandbox.apns.requests.filter((r) => r.token === voip(2)).length;
    stack.sandbox.apns.failToken(voip(2), { status: 410, reason: 'Unregistered' });
    const first = await stack.post('/v2/tokens/bob@example.com/push', push('incoming_session', 'v2-call-2'));
    expect(first.status).toBe(200); // Sylk reports a removed device as 200
    const codes = (first.json as { data: Array<{ token: string; code: number }> }).data;
    expect(codes.find((d) => d.token === voip(2))?.code).toBe(410);
    const second = await stack.post('/v2/tokens/bob@example.com/push', push('incoming_session', 'v2-call-3'));
    expect((second.json as { data: Array<{ token: string }> }).data.map((d) => d.token).sort()).toEqual(
      [voip(1), 'fcm-v2-1'].sort(),
    );
    // One request (the 410) since the fault, none after the removal.
    expect(stack.sandbox.apns.requests.filter((r) => r.token === voip(2))).toHaveLength(before + 1);
  });

  it('lists results in registration order on two platforms; the status is the last device’s code', async () => {
    const account = '/v2/tokens/carol@example.com';
    const devices = [
      { 'app-id': SYLK, platform: 'android', token: 'fcm-carol-zz', 'device-id': 'zz-android' },
      { 'app-id': SYLK, platform: 'apple', token: `${voip(21)}-${background(21)}`, 'device-id': 'mm-iphone' },
      { 'app-id': SYLK, platform: 'android', token: 'fcm-carol-aa', 'device-id': 'aa-tablet' },
      { 'app-id': SYLK, platform: 'apple', token: `${voip(22)}-${background(22)}`, 'device-id': 'kk-ipad' },
    ];
    for (const d of devices) expect((await stack.post(account, d)).status).toBe(200);
    // Re-registering keeps a device's place, as in Sylk's dict.
    expect((await stack.post(account, { ...devices[1], token: `${voip(23)}-${background(23)}` })).status).toBe(200);
    stack.sandbox.apns.failToken(voip(22), { status: 400, reason: 'BadTopic' });
    const res = await stack.post(`${account}/push`, push('incoming_session', 'v2-order-1'));
    const body = res.json as { code: number; data: Array<{ token: string; code: number }> };
    expect(body.data.map((d) => d.token)).toEqual(['fcm-carol-zz', voip(23), 'fcm-carol-aa', voip(22)]);
    expect(body.data.map((d) => d.code)).toEqual([200, 200, 200, 400]);
    expect([res.status, body.code]).toEqual([400, 400]);
    stack.sandbox.apns.clearFaults();
  });

  it('answers Sylk’s 404 bodies for unknown users and devices', async () => {
    expect(await stack.post('/v2/tokens/nobody@example.com/push', push('incoming_session', 'x'))).toMatchObject({
      status: 404,
      json: {
        code: 404,
        description: 'Push request was not sent: user not found',
        data: { account: 'nobody@example.com' },
      },
    });
    expect(
      await stack.post('/v2/tokens/bob@example.com/push/no-such-device', push('incoming_session', 'y')),
    ).toMatchObject({
      status: 404,
      json: {
        code: 404,
        description: 'Push request was not sent: device not found',
        data: { device_id: 'no-such-device' },
      },
    });
    expect(await del('/v2/tokens/nobody@example.com', { 'app-id': SYLK, 'device-id': 'x' })).toEqual({
      status: 404,
      json: { result: 'User not found' },
    });
    expect(await del('/v2/tokens/bob@example.com', { 'app-id': SYLK, 'device-id': 'x' })).toEqual({
      status: 404,
      json: { result: 'Not found' },
    });
  });

  it('removes a device with DELETE, echoing the body', async () => {
    expect(await del('/v2/tokens/bob@example.com', { 'app-id': SYLK, 'device-id': 'dev-android-1' })).toEqual({
      status: 200,
      json: { 'app-id': SYLK, 'device-id': 'dev-android-1' },
    });
  });

  it('rejects bad input with clear 4xx', async () => {
    expect(
      (
        await stack.post('/v2/tokens/not-an-account', {
          'app-id': SYLK,
          platform: 'apple',
          token: 't',
          'device-id': 'd',
        })
      ).status,
    ).toBe(400);
    expect(
      await stack.post('/v2/tokens/bob@example.com', {
        'app-id': 'com.nope',
        platform: 'apple',
        token: 't',
        'device-id': 'd',
      }),
    ).toMatchObject({
      status: 404,
      json: { code: 404, description: 'Apple com.nope app is not configured', data: '' },
    });
    expect(
      await stack.post('/v2/tokens/bob@example.com', {
        'app-id': SYLK,
        platform: 'windows',
        token: 't',
        'device-id': 'd',
      }),
    ).toMatchObject({
      status: 404,
      json: { description: "The 'windows' platform is not configured" },
    });
    expect(
      await stack.post('/v2/tokens/bob@example.com', { 'app-id': SYLK, platform: 'apple', 'device-id': 'd' }),
    ).toMatchObject({
      status: 400,
      json: { description: 'field required: token' },
    });
    expect(
      (
        await stack.post('/v2/tokens/bob@example.com', {
          'app-id': SYLK,
          platform: 'apple',
          token: 'x'.repeat(5000),
          'device-id': 'd',
        })
      ).status,
    ).toBe(400);
    expect(
      await stack.post('/v2/tokens/bob@example.com/push', { event: 'incoming_session', from: 'a', to: 'b' }),
    ).toMatchObject({
      status: 400,
      json: { description: 'field required: call-id' },
    });
    expect(
      await stack.post('/v2/tokens/bob@example.com/push', {
        event: 'ring',
        'call-id': 'c',
        from: 'a',
        to: 'b',
        'media-type': 'audio',
      }),
    ).toMatchObject({
      status: 400,
      json: {
        code: 400,
        description:
          "event must be 'incoming_session', 'incoming_conference_request', 'cancel' or 'message', 'transfer'",
        data: '',
      },
    });
  });
});
