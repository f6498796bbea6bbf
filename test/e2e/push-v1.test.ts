// End to end: a Sylk client POSTs /push to the ingest process; a worker process delivers to the strict
// emulators; the test checks the HTTP answer and exactly what the emulator received.
import { getAppType } from '@pushwire/apps';
import type { PushRequest } from '@pushwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_KEY_ID, SANDBOX_TEAM_ID } from '@pushwire/sandbox-emulators';
import { startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const LINPHONE = 'com.pushwire.sandbox.linphone.dev';
const hexToken = (n: number) => n.toString(16).padStart(64, '0');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { PUSHWIRE_RETRY_BASE_MS: '20', PUSHWIRE_SYNC_WAIT_MS: '3000' } });
});
afterAll(async () => {
  await stack?.close();
});

function sylkBody(event: string, platform: string, token: string, callId: string) {
  return {
    'app-id': SYLK,
    platform,
    token,
    event,
    'call-id': callId,
    from: 'alice@example.com',
    'from-display-name': 'Alice',
    to: 'bob@example.com',
    'media-type': event === 'cancel' ? undefined : 'audio',
    silent: 0,
    reason: event === 'cancel' ? 'hangup' : undefined,
    account: 'bob@example.com',
    content: 'hello',
    'content-type': 'text/plain',
    filename: 'a.jpg',
    filetype: 'image/jpeg',
    badge: '2',
  };
}

/** What the builder makes for this request; the builders themselves are pinned by golden unit tests. */
function expectedPush(
  req: Partial<PushRequest> & Pick<PushRequest, 'appId' | 'platform' | 'event' | 'token' | 'callId'>,
  appType: string,
) {
  const full: PushRequest = {
    from: 'alice@example.com',
    to: 'bob@example.com',
    deviceId: null,
    fromDisplayName: 'Alice',
    mediaType: 'audio',
    silent: false,
    reason: null,
    badge: 2,
    filename: 'a.jpg',
    filetype: 'image/jpeg',
    account: 'bob@example.com',
    content: 'hello',
    contentType: 'text/plain',
    ...req,
  };
  const type = getAppType(appType)!;
  return full.platform === 'apple'
    ? type.apple(full, { now: new Date() })
    : type.firebase(full, { now: new Date(), legacy: false });
}

const EVENTS = ['incoming_session', 'incoming_conference_request', 'cancel', 'message', 'transfer'] as const;

describe('Sylk app, Apple', () => {
  it.each(EVENTS)('%s: 200 with Sylk data, emulator got the right headers and payload', async (event) => {
    const token = hexToken(EVENTS.indexOf(event) + 1);
    const callId = `apple-${event}@example.com`;
    const res = await stack.post('/push', sylkBody(event, 'ios', token, callId));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code: 200,
      description: 'push notification response',
      data: {
        body: {},
        code: 200,
        reason: '',
        platform: 'apple',
        call_id: callId,
        token,
        url: `https://127.0.0.1:${stack.sandbox.apns.port}/3/device/${token}`,
      },
    });
    const received = stack.sandbox.apns.requests.filter((r) => r.token === token);
    expect(received).toHaveLength(1);
    const expected = expectedPush(
      {
        appId: SYLK,
        platform: 'apple',
        event,
        token,
        callId,
        mediaType: event === 'cancel' ? null : 'audio',
        reason: event === 'cancel' ? 'hangup' : null,
      },
      'sylk',
    );
    expect(received[0]!.json).toEqual(expected.payload);
    expect(received[0]!.headers).toMatchObject(expected.headers);
    expect(received[0]!.headers['apns-topic']).toBe(
      event.startsWith('incoming') ? 'com.pushwire.sandbox.sylk.voip' : 'com.pushwire.sandbox.sylk',
    );
    expect(received[0]!.auth).toMatchObject({ kind: 'token', teamId: SANDBOX_TEAM_ID, keyId: SANDBOX_KEY_ID });
  });
});

describe('Sylk app, Firebase', () => {
  it.each(EVENTS)('%s: 200 with FCM _content, emulator got a valid v1 message', async (event) => {
    const token = `fcm-${event}`;
    const callId = `fcm-${event}@example.com`;
    const res = await stack.post('/push', sylkBody(event, 'fcm', token, callId));
    expect(res.status).toBe(200);
    const data = (res.json as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({ code: 200, reason: 'OK', platform: 'firebase', call_id: callId, token });
    expect(data.url).toBe(stack.sandbox.fcm.sendUrl('pushwire-sandbox'));
    expect((data.body as { _content: { name: string } })._content.name).toMatch(
      /^projects\/pushwire-sandbox\/messages\//,
    );
    const received = stack.sandbox.fcm.requests.filter(
      (r) => (r.json as { message?: { token?: string } })?.message?.token === token,
    );
    expect(received).toHaveLength(1);
    const expected = expectedPush(
      {
        appId: SYLK,
        platform: 'firebase',
        event,
        token,
        callId,
        mediaType: event === 'cancel' ? null : 'audio',
        reason: event === 'cancel' ? 'hangup' : null,
      },
      'sylk',
    );
    expect(received[0]!.json).toEqual(expected.payload);
    expect(received[0]!.headers['content-type']).toBe('application/json; UTF-8');
    expect(received[0]!.headers.authorization).toMatch(/^Bearer /);
  });
});

describe('Linphone app', () => {
  it.each(['apple', 'firebase'] as const)('%s: incoming_session by default', async (platform) => {
    const token = platform === 'apple' ? hexToken(0x11) : 'linphone-fcm-1';
    const res = await stack.post('/push', {
      'app-id': LINPHONE,
      platform,
      token,
      'call-id': `lin-${platform}`,
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'audio',
    });
    expect(res.status).toBe(200);
    if (platform === 'apple') {
      const [req] = stack.sandbox.apns.requests.filter((r) => r.token === token);
      expect(req!.headers).toMatchObject({
        'apns-push-type': 'voip',
        'apns-topic': 'com.pushwire.sandbox.linphone.voip',
        'apns-expiration': '10',
        'apns-priority': '10',
      });
      expect(req!.json).toMatchObject({
        aps: { sound: '', 'loc-key': 'IC_SIL', 'call-id': `lin-${platform}` },
        'from-uri': 'alice@example.com',
        pn_ttl: 2592000,
      });
    } else {
      const [req] = stack.sandbox.fcm.requests.filter(
        (r) => (r.json as { message?: { token?: string } })?.message?.token === token,
      );
      expect(req!.json).toMatchObject({
        message: {
          token,
          android: { priority: 'high', ttl: '60s' },
          data: { 'call-id': `lin-${platform}`, 'sip-from': 'alice@example.com' },
        },
      });
    }
  });
});

describe('results the caller acts on', () => {
  it('APNs Unregistered → 410 with Sylk reason', async () => {
    const token = hexToken(0x410);
    stack.sandbox.apns.failToken(token, { status: 410, reason: 'Unregistered' });
    const res = await stack.post('/push', sylkBody('incoming_session', 'apple', token, 'dead-1'));
    expect(res.status).toBe(410);
    expect(res.json).toMatchObject({
      code: 410,
      data: {
        code: 410,
        reason: 'Unregistered - The device token is inactive for the specified topic.',
        body: { reason: 'Unregistered' },
        token,
      },
    });
  });

  it('APNs BadDeviceToken → 410 (Sylk maps it to a dead token)', async () => {
    const res = await stack.post('/push', sylkBody('incoming_session', 'apple', 'not-hex-token', 'dead-2'));
    expect(res.status).toBe(410);
    expect((res.json as { data: { reason: string } }).data.reason).toMatch(/^BadDeviceToken - /);
  });

  it('FCM UNREGISTERED → 410 with Sylk reason', async () => {
    stack.sandbox.fcm.failToken('fcm-dead', {
      status: 404,
      errorStatus: 'NOT_FOUND',
      message: 'Requested entity was not found.',
    });
    const res = await stack.post('/push', sylkBody('message', 'firebase', 'fcm-dead', 'dead-3'));
    expect(res.status).toBe(410);
    expect(res.json).toMatchObject({
      code: 410,
      data: { code: 410, reason: 'Not Found Requested entity was not found.', platform: 'firebase' },
    });
  });

  it('APNs 500 twice → retried with backoff, then 200; three requests reached the emulator', async () => {
    const token = hexToken(0x500);
    stack.sandbox.apns.failToken(token, { status: 500, reason: 'InternalServerError', times: 2 });
    const res = await stack.post('/push', sylkBody('message', 'apple', token, 'retry-1'));
    expect(res.status).toBe(200);
    expect(stack.sandbox.apns.requests.filter((r) => r.token === token).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('FCM 503 once → retried, then 200', async () => {
    stack.sandbox.fcm.failToken('fcm-flaky', { status: 503, errorStatus: 'UNAVAILABLE', times: 1 });
    const res = await stack.post('/push', sylkBody('message', 'firebase', 'fcm-flaky', 'retry-2'));
    expect(res.status).toBe(200);
  });

  it('a push still retrying when the bounded wait ends → 202 with its job id, delivered later', async () => {
    const token = hexToken(0x202);
    stack.sandbox.apns.failToken(token, { stall: true, times: 1 });
    const res = await stack.post('/push', sylkBody('message', 'apple', token, 'slow-1'));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      code: 202,
      description: 'accepted for delivery',
      data: { job_id: expect.stringMatching(/^v1-/) },
    });
  });

  it('the same push sent twice is delivered twice, or once with one Idempotency-Key (the second answer is the first)', async () => {
    const token = hexToken(0xd0b);
    const body = sylkBody('incoming_session', 'apple', token, 'twice-1');
    const [a, b] = await Promise.all([stack.post('/push', body), stack.post('/push', body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(stack.sandbox.apns.requests.filter((r) => r.token === token)).toHaveLength(2);

    const once = hexToken(0xd0c);
    const init = { headers: { 'content-type': 'application/json', 'idempotency-key': 'twice-2' } };
    const first = await stack.post('/push', sylkBody('incoming_session', 'apple', once, 'twice-2'), init);
    const second = await stack.post('/push', sylkBody('incoming_session', 'apple', once, 'twice-2'), init);
    expect([second.status, second.text]).toEqual([200, first.text]);
    expect(stack.sandbox.apns.requests.filter((r) => r.token === once)).toHaveLength(1);
  });
});
