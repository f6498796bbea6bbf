// Realistic sink inputs: a Sylk VoIP push to APNs with its provider JWT, as a careless caller would pass it.
import { generateKeyPairSync } from 'node:crypto';
import { withSylkDefaults, type PushRequest } from '@pushwire/core';
import { toIncomingBody } from '../incoming-body.js';
import type { SinkRecordInput } from '../sink-payload.js';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An ES256-shaped provider token as APNs receives it (the signature bytes need not verify here). */
export const APNS_JWT = `${b64url({ alg: 'ES256', kid: 'ABC123DEFG' })}.${b64url({ iss: 'DEF123GHIJ', iat: 1700000000 })}.${Buffer.from('signature-bytes-of-sixty-four-length-000000000000000000000000000').toString('base64url')}`;

export const GOOGLE_ACCESS_TOKEN = 'ya29.c.b0AXv0zTPlongOpaqueAccessToken-0123456789_abcdef';

export const LEGACY_SERVER_KEY =
  'AAAAbCdEfGh:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ-hQMRKRrZuJAEcl7B338qju59zJMjw2DELjzEvxwYv7hH5Ynpc1ODQ0aT4U4OFEeco8ohsN5PjL1iC2dNtk2BAokeMCg2ZXKqpc8FXKmhX94kIxQ';

export function sampleServiceAccount(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    type: 'service_account',
    project_id: 'pushwire-test',
    private_key_id: '3f1c0ffee2b4d6a8c0e1f2a3b4c5d6e7f8091a2b',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'pusher@pushwire-test.iam.gserviceaccount.com',
    client_id: '109876543210987654321',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export function samplePushRequest(overrides: Partial<PushRequest> = {}): PushRequest {
  return withSylkDefaults({
    appId: 'com.example.sylk',
    platform: 'apple',
    event: 'incoming_session',
    token: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
    callId: 'call-1@example.com',
    from: 'alice@example.com',
    to: 'bob@example.com',
    deviceId: 'device-1',
    fromDisplayName: 'Alice',
    mediaType: 'audio',
    ...overrides,
  });
}

export function sampleInput(
  overrides: Partial<PushRequest> = {},
  extra: Partial<SinkRecordInput> = {},
): SinkRecordInput {
  const request = samplePushRequest(overrides);
  const payload = {
    event: request.event,
    'call-id': request.callId,
    'media-type': request.mediaType,
    from_uri: request.from,
    to_uri: request.to,
  };
  return {
    appId: request.appId,
    platform: request.platform,
    requestId: `${request.event}-${request.appId}-${request.callId}`,
    incomingBody: toIncomingBody(request),
    outgoingHeaders: {
      'apns-topic': 'com.example.sylk.voip',
      'apns-push-type': 'voip',
      'apns-priority': '10',
      'apns-expiration': '120',
      authorization: `bearer ${APNS_JWT}`,
    },
    outgoingBody: JSON.stringify(payload),
    response: { code: 200, description: '', push_url: `https://api.push.apple.com/3/device/${request.token}` },
    ...extra,
  };
}
