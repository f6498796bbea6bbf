// Each APNs request rule, broken on purpose, answered with Apple's status and reason (token auth).
import type { ClientHttp2Session, OutgoingHttpHeaders } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { createTestCa } from '../tls.js';
import { startApnsEmulator } from './apns-emulator.js';
import {
  closeSession,
  createSigningKey,
  DEVICE_TOKEN,
  mintToken,
  openSession,
  post,
} from '../test-support/h2-client.js';
import type { ApnsEmulator } from './types.js';

const UUID_PATTERN = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const TOPIC = 'com.example.phone';

/** A JSON object of exactly `bytes` bytes. */
function payloadOf(bytes: number): string {
  const frame = '{"aps":{},"pad":""}';
  return frame.replace('""', `"${'x'.repeat(bytes - frame.length)}"`);
}

describe('APNs emulator request rules', () => {
  const ca = createTestCa();
  const key = createSigningKey();
  const clock = new ManualClock(Date.UTC(2025, 0, 1, 12));
  let emulator: ApnsEmulator;
  let session: ClientHttp2Session;
  let jwt: string;

  beforeAll(async () => {
    emulator = await startApnsEmulator({ tls: ca.issueServer(), clock, keys: [key] });
    session = await openSession(emulator.origin, { ca: ca.cert });
    jwt = await mintToken(key, Math.floor(clock.now() / 1000));
  });
  afterAll(async () => {
    await closeSession(session);
    await emulator.close();
  });

  const alert = (extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders => ({
    authorization: `bearer ${jwt}`,
    'apns-topic': TOPIC,
    'apns-push-type': 'alert',
    'apns-priority': '5',
    'apns-expiration': '120',
    ...extra,
  });

  it('accepts a valid push: 200, empty body, a fresh upper-case apns-id, and records it', async () => {
    const before = emulator.requests.length;
    const response = await post(session, alert());
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['apns-id']).toMatch(UUID_PATTERN);
    const recorded = emulator.requests[before];
    expect(recorded).toMatchObject({
      method: 'POST',
      path: `/3/device/${DEVICE_TOKEN}`,
      token: DEVICE_TOKEN,
      status: 200,
      reason: null,
      delivered: true,
      apnsId: response.headers['apns-id'],
      json: { aps: { alert: 'hi' } },
      auth: { kind: 'token', jwt, teamId: key.teamId, keyId: key.keyId, iat: Math.floor(clock.now() / 1000) },
    });
    expect(recorded?.headers['apns-topic']).toBe(TOPIC);
    expect(recorded?.headers).not.toHaveProperty(':path');
  });

  it("echoes the request's apns-id", async () => {
    const id = '123e4567-e89b-12d3-a456-426655440000';
    const response = await post(session, alert({ 'apns-id': id }));
    expect(response.status).toBe(200);
    expect(response.headers['apns-id']).toBe(id);
  });

  it("accepts Sylk's VoIP and background pushes, ignoring the non-standard content-available header", async () => {
    const voip = { 'apns-push-type': 'voip', 'apns-topic': `${TOPIC}.voip`, 'apns-priority': '10' };
    expect((await post(session, alert(voip))).status).toBe(200);
    const background = { 'apns-push-type': 'background', 'apns-priority': '5', 'content-available': '1' };
    expect((await post(session, alert(background), '{"event":"cancel"}')).status).toBe(200);
  });

  it.each([
    ['a 64-byte collapse id', { 'apns-collapse-id': 'c'.repeat(64) }, payloadOf(100)],
    ['a 4096-byte payload', {}, payloadOf(4096)],
    ['a 5120-byte VoIP payload', { 'apns-push-type': 'voip', 'apns-topic': `${TOPIC}.voip` }, payloadOf(5120)],
    [
      'no push type on the .voip topic (legacy VoIP)',
      { 'apns-push-type': undefined, 'apns-topic': `${TOPIC}.voip` },
      payloadOf(5120),
    ],
    [
      'a live activity push',
      { 'apns-push-type': 'liveactivity', 'apns-topic': `${TOPIC}.push-type.liveactivity` },
      '{}',
    ],
    ['an expiration of 0', { 'apns-expiration': '0' }, '{"aps":{}}'],
  ])('accepts %s', async (_name, headers, body) => {
    const response = await post(session, alert(headers), body);
    expect(response.status).toBe(200);
  });

  type Case = [string, number, string, OutgoingHttpHeaders, string?, string?];
  const cases: Case[] = [
    ['a GET', 405, 'MethodNotAllowed', { ':method': 'GET' }, ''],
    ['a path outside /3/device', 404, 'BadPath', {}, undefined, '/3/notdevice/x'],
    ['a wrong API version', 404, 'BadPath', {}, undefined, `/2/device/${DEVICE_TOKEN}`],
    ['no device token', 400, 'MissingDeviceToken', {}, undefined, '/3/device/'],
    ['a short token', 400, 'BadDeviceToken', {}, undefined, `/3/device/${'a'.repeat(63)}`],
    ['a non-hex token', 400, 'BadDeviceToken', {}, undefined, `/3/device/${'g'.repeat(64)}`],
    ['a token APNs never issues (all zeros)', 400, 'BadDeviceToken', {}, undefined, `/3/device/${'0'.repeat(64)}`],
    ['a repeated apns-topic', 400, 'DuplicateHeaders', { 'apns-topic': [TOPIC, TOPIC] }],
    ['no apns-topic', 400, 'MissingTopic', { 'apns-topic': undefined }],
    ['an unknown push type', 400, 'InvalidPushType', { 'apns-push-type': 'banana' }],
    ['a VoIP push to the bare bundle id', 400, 'DeviceTokenNotForTopic', { 'apns-push-type': 'voip' }],
    ['an alert push to the .voip topic', 400, 'InvalidPushType', { 'apns-topic': `${TOPIC}.voip` }],
    [
      'a background push to the .voip topic',
      400,
      'InvalidPushType',
      { 'apns-push-type': 'background', 'apns-topic': `${TOPIC}.voip` },
    ],
    ['a complication push to the bare bundle id', 400, 'DeviceTokenNotForTopic', { 'apns-push-type': 'complication' }],
    ['priority 7', 400, 'BadPriority', { 'apns-priority': '7' }],
    ['a background push at priority 10', 400, 'BadPriority', { 'apns-push-type': 'background', 'apns-priority': '10' }],
    ['a non-integer expiration', 400, 'BadExpirationDate', { 'apns-expiration': '12.5' }],
    ['a negative expiration', 400, 'BadExpirationDate', { 'apns-expiration': '-1' }],
    ['an apns-id that is not a UUID', 400, 'BadMessageId', { 'apns-id': 'push-1' }],
    ['a 65-byte collapse id', 400, 'BadCollapseId', { 'apns-collapse-id': 'c'.repeat(65) }],
    [
      'a collapse id over 64 bytes in multi-byte characters',
      400,
      'BadCollapseId',
      { 'apns-collapse-id': 'é'.repeat(33) },
    ],
    ['an empty body', 400, 'PayloadEmpty', {}, ''],
    ['a body that is not JSON', 400, 'PayloadEmpty', {}, '{"aps":'],
    ['a JSON array body', 400, 'PayloadEmpty', {}, '[1,2]'],
    ['a 4097-byte payload', 413, 'PayloadTooLarge', {}, payloadOf(4097)],
    [
      'a 5121-byte VoIP payload',
      413,
      'PayloadTooLarge',
      { 'apns-push-type': 'voip', 'apns-topic': `${TOPIC}.voip` },
      payloadOf(5121),
    ],
  ];

  it.each(cases)('answers %s with %i %s', async (_name, status, reason, headers, body, path) => {
    const before = emulator.requests.length;
    const response = await post(session, alert(headers), body, path);
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ reason });
    expect(response.headers['apns-id']).toMatch(UUID_PATTERN);
    expect(emulator.requests[before]).toMatchObject({
      status,
      reason,
      delivered: false,
      apnsId: response.headers['apns-id'],
    });
  });
});
