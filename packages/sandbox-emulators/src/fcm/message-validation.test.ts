import { describe, expect, it } from 'vitest';
import { validateSendRequest } from './message-validation.js';

/** Sylk's call payload (sylk-behaviour.md §4.3) with data values as strings, as FCM wants them. */
const sylkCall = {
  message: {
    token: 'device-token',
    data: { event: 'incoming_session', 'call-id': 'abc', 'media-type': 'audio', from_uri: 'a@x', to_uri: 'b@x' },
    android: { priority: 'high', ttl: '60s' },
  },
};

function errorOf(json: unknown): { code: number; message: string; status: string; details?: unknown[] } {
  const result = validateSendRequest(json);
  if (result.ok) throw new Error('expected a refusal');
  return result.body.error;
}

describe('validateSendRequest', () => {
  it("accepts Sylk's call, message and transfer envelopes", () => {
    expect(validateSendRequest(sylkCall).ok).toBe(true);
    const transfer = {
      message: {
        token: 't',
        data: { event: 'transfer', metadata: '{"filename":"a"}' },
        notification: { title: 'File', body: 'From a@x', image: 'https://icanblink.com/apple-touch-icon-180x180.png' },
        apns: { headers: { 'apns-priority': '5' } },
        android: {
          priority: 'high',
          ttl: '60s',
          notification: {
            channel_id: 'sylk-messages-sound',
            sound: 'default',
            default_sound: true,
            notification_priority: 'PRIORITY_HIGH',
          },
        },
      },
    };
    expect(validateSendRequest(transfer)).toMatchObject({ ok: true, validateOnly: false });
  });

  it('takes camelCase names, upper-case priorities and fractional TTLs', () => {
    const ok = validateSendRequest({
      validateOnly: true,
      message: { token: 't', android: { priority: 'HIGH', ttl: '3.5s', directBootOk: true } },
    });
    expect(ok).toMatchObject({ ok: true, validateOnly: true });
  });

  it("refuses non-string data values with Google's wording, one violation each", () => {
    const error = errorOf({ message: { token: 't', data: { a: 'x', b: 12, c: { n: 1 }, d: null, e: true } } });
    expect(error.code).toBe(400);
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message.split('\n')).toEqual([
      "Invalid value at 'message.data[1].value' (TYPE_STRING), 12",
      "Invalid value at 'message.data[2].value' (TYPE_STRING), Starting an object on a scalar field",
      "Invalid value at 'message.data[3].value' (TYPE_STRING), null",
      "Invalid value at 'message.data[4].value' (TYPE_STRING), true",
    ]);
    expect(error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: expect.arrayContaining([
          { field: 'message.data[1].value', description: "Invalid value at 'message.data[1].value' (TYPE_STRING), 12" },
        ]),
      },
    ]);
  });

  it('refuses unknown names at the root, in the message and deeper', () => {
    expect(errorOf({ message: { token: 't', badge: '1' } }).message).toBe(
      'Invalid JSON payload received. Unknown name "badge" at \'message\': Cannot find field.',
    );
    expect(errorOf({ message: { token: 't' }, to: 'x' }).message).toBe(
      'Invalid JSON payload received. Unknown name "to": Cannot find field.',
    );
    expect(errorOf({ message: { token: 't', android: { notification: { channel: 'x' } } } }).message).toBe(
      'Invalid JSON payload received. Unknown name "channel" at \'message.android.notification\': Cannot find field.',
    );
  });

  it('refuses a bad priority, a bad TTL and a non-string notification field', () => {
    expect(errorOf({ message: { token: 't', android: { priority: 'urgent' } } }).message).toBe(
      'Invalid value at \'message.android.priority\' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), "urgent"',
    );
    expect(errorOf({ message: { token: 't', android: { ttl: '60' } } }).message).toContain(
      "duration must end with 's'",
    );
    expect(errorOf({ message: { token: 't', android: { ttl: 60 } } }).message).toBe(
      "Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), 60",
    );
    expect(errorOf({ message: { token: 't', android: { ttl: '2419201s' } } }).details).toContainEqual({
      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
      errorCode: 'INVALID_ARGUMENT',
    });
    expect(errorOf({ message: { token: 't', notification: { title: 5 } } }).message).toBe(
      "Invalid value at 'message.notification.title' (TYPE_STRING), 5",
    );
  });

  it('wants exactly one of token, topic and condition', () => {
    expect(errorOf({ message: { data: {} } }).message).toBe('Recipient of the message is not set.');
    expect(errorOf({ message: { token: '' } }).message).toBe('Recipient of the message is not set.');
    expect(errorOf({ message: { token: 't', topic: 'news' } }).message).toBe(
      "Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set 'topic'",
    );
    expect(validateSendRequest({ message: { topic: 'news' } }).ok).toBe(true);
  });

  it('refuses reserved data keys and payloads over 4096 bytes', () => {
    expect(errorOf({ message: { token: 't', data: { from: 'x' } } }).code).toBe(400);
    expect(errorOf({ message: { token: 't', data: { 'google.x': 'x' } } }).code).toBe(400);
    expect(validateSendRequest({ message: { token: 't', data: { k: 'x'.repeat(4095) } } }).ok).toBe(true);
    expect(errorOf({ message: { token: 't', data: { k: 'x'.repeat(4096) } } })).toEqual({
      code: 400,
      message: 'Request contains an invalid argument.',
      status: 'INVALID_ARGUMENT',
    });
  });

  it('refuses a body that is not an object', () => {
    expect(errorOf([1]).message).toContain('Root element must be a message');
  });
});
