import { describe, expect, it } from 'vitest';
import { redactSinkPayload, scrubSecretText } from './redact-record.js';
import { buildSinkPayload, type SinkPayload } from './sink-payload.js';
import {
  APNS_JWT,
  GOOGLE_ACCESS_TOKEN,
  LEGACY_SERVER_KEY,
  sampleInput,
  sampleServiceAccount,
} from './test-support/sample-record.js';

function build(input = sampleInput()): SinkPayload {
  return buildSinkPayload(input, { serverIp: '192.0.2.7', now: 0 });
}

/** Every credential a careless caller could put in a record, and where. */
function leakyPayload(): { payload: SinkPayload; secrets: string[] } {
  const account = sampleServiceAccount();
  const input = sampleInput(
    { content: JSON.stringify(account), fromDisplayName: `Mallory bearer ${APNS_JWT}` },
    {
      outgoingHeaders: {
        'Content-Type': 'application/json; UTF-8',
        Authorization: `Bearer ${GOOGLE_ACCESS_TOKEN}`,
        'Proxy-Authorization': 'Basic dXNlcjpwYXNz',
        'x-goog-api-key': 'AIzaSyD-not-a-real-key',
        'x-debug': `key=${LEGACY_SERVER_KEY}`,
      },
      outgoingBody: JSON.stringify({
        message: { token: 'fcm-token', data: { event: 'incoming_session', jwt: APNS_JWT, note: `id ${APNS_JWT}` } },
        credentials: account,
      }),
      response: {
        code: 401,
        description: `Unauthorized for key=${LEGACY_SERVER_KEY} (${APNS_JWT})`,
        push_url: `https://fcm.example/send?key=${LEGACY_SERVER_KEY}`,
      },
    },
  );
  const pemBody = account.private_key!.split('\n')[1]!;
  return {
    payload: build(input),
    secrets: [
      APNS_JWT,
      GOOGLE_ACCESS_TOKEN,
      'dXNlcjpwYXNz',
      'AIzaSyD-not-a-real-key',
      LEGACY_SERVER_KEY,
      pemBody,
      'BEGIN PRIVATE KEY',
      account.private_key_id!,
      account.client_email!,
    ],
  };
}

describe('redactSinkPayload', () => {
  it('leaves no JWT, key, access token or service-account field anywhere in the record', () => {
    const { payload, secrets } = leakyPayload();
    const before = JSON.stringify(payload);
    for (const secret of secrets) expect(before).toContain(secret);

    const text = JSON.stringify(redactSinkPayload(payload));
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]+\./);
    expect(text).not.toMatch(/private_key|service_account/);
  });

  it('redacts the authorization headers in any case and keeps the provider headers', () => {
    const redacted = redactSinkPayload(leakyPayload().payload).request.outgoing_headers;
    expect(redacted).toEqual({
      'Content-Type': 'application/json; UTF-8',
      Authorization: '[redacted]',
      'Proxy-Authorization': '[redacted]',
      'x-goog-api-key': '[redacted]',
      'x-debug': 'key=[redacted]',
    });
    const apns = redactSinkPayload(build()).request.outgoing_headers;
    expect(apns).toEqual({
      'apns-topic': 'com.example.sylk.voip',
      'apns-push-type': 'voip',
      'apns-priority': '10',
      'apns-expiration': '120',
      authorization: '[redacted]',
    });
  });

  it('keeps a clean record as it was, outgoing body text included', () => {
    const payload = build();
    const redacted = redactSinkPayload(payload);
    expect(redacted.request.outgoing_body).toBe(payload.request.outgoing_body);
    expect(redacted.request.incoming_body).toEqual(payload.request.incoming_body);
    expect(redacted.response).toEqual(payload.response);
    expect({ ...redacted, request: { ...redacted.request, outgoing_headers: {} } }).toEqual({
      ...payload,
      request: { ...payload.request, outgoing_headers: {} },
    });
  });

  it('keeps the device token, the call id and the payload values around a removed secret', () => {
    const { payload } = leakyPayload();
    const redacted = redactSinkPayload(payload);
    expect(redacted.request.incoming_body.token).toBe(payload.request.incoming_body.token);
    expect(redacted.request.incoming_body.call_id).toBe('call-1@example.com');
    expect(JSON.parse(redacted.request.outgoing_body)).toEqual({
      message: { token: 'fcm-token', data: { event: 'incoming_session', jwt: '[redacted]', note: 'id [redacted]' } },
      credentials: '[redacted]',
    });
    expect(redacted.request.incoming_body.content).toBe('[redacted]');
    expect(redacted.response.push_url).toBe('https://fcm.example/send?key=[redacted]');
  });

  it('is idempotent and does not modify its input', () => {
    const { payload } = leakyPayload();
    const copy = structuredClone(payload);
    const once = redactSinkPayload(payload);
    expect(payload).toEqual(copy);
    expect(redactSinkPayload(once)).toEqual(once);
  });
});

describe('scrubSecretText', () => {
  it('removes PEM blocks, cut-off ones too, and service-account fields in unparsed or escaped JSON', () => {
    expect(scrubSecretText('a -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- b')).toBe(
      'a [redacted] b',
    );
    expect(scrubSecretText('x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN')).toBe('x [redacted]');
    expect(scrubSecretText('{"private_key_id": "abc\\"def", "project_id": "p" (truncated')).toBe(
      '{"private_key_id": "[redacted]", "project_id": "p" (truncated',
    );
    expect(scrubSecretText('"{\\"client_secret\\": \\"s3cr3t\\", \\"a\\": 1}"')).toBe(
      '"{\\"client_secret\\": \\"[redacted]\\", \\"a\\": 1}"',
    );
  });

  it('leaves ordinary text alone', () => {
    const text =
      'incoming_session for bob@example.com from alice@example.com: BadDeviceToken - The device token is invalid';
    expect(scrubSecretText(text)).toBe(text);
  });
});
