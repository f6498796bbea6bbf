// Sylk on Firebase: every event, the full v1 payload written out from sylk-behaviour.md §4.3, with docs/decisions/0003-deliberate-differences.md
// applied to `data` (strings only, nulls dropped, nested values JSON-encoded).
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../test-support/push-request.js';
import { sylk } from './index.js';

const v1 = { now: new Date(2025, 5, 13, 9, 30, 0), legacy: false };
const legacy = { ...v1, legacy: true };
const CALL_ID = 'a84b4c76e66710@pc33.example.com';
const SESSION_ID = 'bbf293b2-9c20-2614-2f42-b454fffbe956';
const base = { appId: 'com.agprojects.sylk', platform: 'firebase', token: 'fcm-token-1', callId: CALL_ID } as const;

describe('sylk × firebase', () => {
  it('incoming_session: data-only, display name as given', () => {
    const req = pushRequest({ ...base, event: 'incoming_session', mediaType: 'audio', fromDisplayName: 'Alice' });
    expect(sylk.firebase(req, v1)).toEqual({
      token: 'fcm-token-1',
      headers: {},
      payload: {
        message: {
          token: 'fcm-token-1',
          data: {
            event: 'incoming_session',
            'call-id': CALL_ID,
            'session-id': SESSION_ID,
            'media-type': 'audio',
            from_uri: 'alice@example.com',
            from_display_name: 'Alice',
            to_uri: 'bob@example.com',
          },
          android: { priority: 'high', ttl: '60s' },
        },
      },
    });
  });

  it('incoming_conference_request: adds account; display name falls back to from', () => {
    const req = pushRequest({
      ...base,
      event: 'incoming_conference_request',
      mediaType: 'video',
      to: 'room1@conference.example.com',
      account: 'bob@example.com',
    });
    expect(sylk.firebase(req, v1)).toEqual({
      token: 'fcm-token-1',
      headers: {},
      payload: {
        message: {
          token: 'fcm-token-1',
          data: {
            event: 'incoming_conference_request',
            'call-id': CALL_ID,
            'session-id': SESSION_ID,
            'media-type': 'video',
            from_uri: 'alice@example.com',
            from_display_name: 'alice@example.com',
            to_uri: 'room1@conference.example.com',
            account: 'bob@example.com',
          },
          android: { priority: 'high', ttl: '60s' },
        },
      },
    });
  });

  it('cancel: data-only with reason', () => {
    const req = pushRequest({ ...base, event: 'cancel', reason: 'Call completed elsewhere' });
    expect(sylk.firebase(req, v1)).toEqual({
      token: 'fcm-token-1',
      headers: {},
      payload: {
        message: {
          token: 'fcm-token-1',
          data: { event: 'cancel', 'call-id': CALL_ID, 'session-id': SESSION_ID, reason: 'Call completed elsewhere' },
          android: { priority: 'high', ttl: '60s' },
        },
      },
    });
  });

  it('message: data-only with the apns-priority 5 override; no display name in data', () => {
    const req = pushRequest({
      ...base,
      event: 'message',
      mediaType: 'sms',
      fromDisplayName: 'Alice',
      badge: 4,
      content: 'hello',
      contentType: 'text/plain',
    });
    expect(sylk.firebase(req, v1)).toEqual({
      token: 'fcm-token-1',
      headers: {},
      payload: {
        message: {
          token: 'fcm-token-1',
          data: {
            event: 'message',
            message_id: CALL_ID,
            from_uri: 'alice@example.com',
            to_uri: 'bob@example.com',
            content: 'hello',
            content_type: 'text/plain',
          },
          apns: { headers: { 'apns-priority': '5' } },
          android: { priority: 'high', ttl: '60s' },
        },
      },
    });
  });

  it('transfer: notification block with image, metadata JSON-encoded', () => {
    const req = pushRequest({
      ...base,
      event: 'transfer',
      mediaType: 'video',
      fromDisplayName: 'Alice',
      filename: 'clip.mp4',
      filetype: 'video/mp4',
    });
    expect(sylk.firebase(req, v1)).toEqual({
      token: 'fcm-token-1',
      headers: {},
      payload: {
        message: {
          token: 'fcm-token-1',
          data: {
            event: 'transfer',
            from_uri: 'alice@example.com',
            to_uri: 'bob@example.com',
            'media-type': 'video',
            'file-id': CALL_ID,
            metadata: '{"filename":"clip.mp4","filetype":"video/mp4"}',
          },
          notification: {
            title: 'New video message',
            body: 'From alice@example.com',
            image: 'https://icanblink.com/apple-touch-icon-180x180.png',
          },
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
      },
    });
  });
});

describe('sylk × firebase: nulls, fallbacks, legacy apps', () => {
  it('drops null data values (reason, content, account, media-type) instead of sending them', () => {
    const data = (req: Parameters<typeof sylk.firebase>[0]) =>
      (sylk.firebase(req, v1).payload as { message: { data: Record<string, unknown> } }).message.data;
    expect(data(pushRequest({ ...base, event: 'cancel' }))).toEqual({
      event: 'cancel',
      'call-id': CALL_ID,
      'session-id': SESSION_ID,
    });
    expect(data(pushRequest({ ...base, event: 'message', mediaType: 'sms' }))).toEqual({
      event: 'message',
      message_id: CALL_ID,
      from_uri: 'alice@example.com',
      to_uri: 'bob@example.com',
    });
    expect(data(pushRequest({ ...base, event: 'incoming_conference_request', mediaType: 'audio' }))).toEqual({
      event: 'incoming_conference_request',
      'call-id': CALL_ID,
      'session-id': SESSION_ID,
      'media-type': 'audio',
      from_uri: 'alice@example.com',
      from_display_name: 'alice@example.com',
      to_uri: 'bob@example.com',
    });
    expect(data(pushRequest({ ...base, event: 'transfer', mediaType: 'image' }))).toEqual({
      event: 'transfer',
      from_uri: 'alice@example.com',
      to_uri: 'bob@example.com',
      'media-type': 'image',
      'file-id': CALL_ID,
      metadata: '{"filename":null,"filetype":null}',
    });
  });

  it('falls back to from on an empty display name (Python truthiness)', () => {
    const req = pushRequest({ ...base, event: 'incoming_session', mediaType: 'audio', fromDisplayName: '' });
    expect(sylk.firebase(req, v1).payload).toMatchObject({
      message: { data: { from_display_name: 'alice@example.com' } },
    });
  });

  it('transfer notification title is "New file" for other media types', () => {
    const req = pushRequest({ ...base, event: 'transfer', mediaType: 'image' });
    expect(sylk.firebase(req, v1).payload).toMatchObject({
      message: { notification: { title: 'New file', body: 'From alice@example.com' } },
    });
  });

  it('an app with a legacy server key still gets the v1 envelope (as Sylk)', () => {
    const req = pushRequest({ ...base, event: 'cancel', reason: 'gone' });
    expect(sylk.firebase(req, legacy)).toEqual(sylk.firebase(req, v1));
    expect(sylk.firebase(req, legacy).payload).toHaveProperty('message.token', 'fcm-token-1');
  });

  it('every data value is a string for every event', () => {
    for (const event of ['incoming_session', 'incoming_conference_request', 'cancel', 'message', 'transfer'] as const) {
      const payload = sylk.firebase(pushRequest({ ...base, event, mediaType: 'audio' }), v1).payload as {
        message: { data: Record<string, unknown> };
      };
      for (const value of Object.values(payload.message.data)) expect(typeof value).toBe('string');
    }
  });

  it('builds fresh objects: mutating one payload leaves the next alone', () => {
    const req = pushRequest({ ...base, event: 'message', mediaType: 'sms' });
    const first = sylk.firebase(req, v1).payload as {
      message: { android: { ttl: string }; apns: { headers: Record<string, string> } };
    };
    first.message.android.ttl = '1s';
    first.message.apns.headers['apns-priority'] = '10';
    expect(sylk.firebase(req, v1).payload).toMatchObject({
      message: { android: { ttl: '60s' }, apns: { headers: { 'apns-priority': '5' } } },
    });
  });
});
