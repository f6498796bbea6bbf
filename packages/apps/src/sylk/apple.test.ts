// Sylk on Apple: every event, full headers and payload, written out from sylk-behaviour.md §4.2.
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../test-support/push-request.js';
import { sylk } from './index.js';

const ctx = { now: new Date(2025, 5, 13, 9, 30, 0) };
const CALL_ID = 'a84b4c76e66710@pc33.example.com';
// python3 -c 'import hashlib;h=hashlib.md5(b"a84b4c76e66710@pc33.example.com").hexdigest();print(h)'
const SESSION_ID = 'bbf293b2-9c20-2614-2f42-b454fffbe956';
const base = {
  appId: 'com.agprojects.sylk-ios.prod',
  platform: 'apple',
  token: 'voip-or-bg-token',
  callId: CALL_ID,
} as const;

describe('sylk × apple', () => {
  it('incoming_session: VoIP push with the flat call payload', () => {
    const req = pushRequest({ ...base, event: 'incoming_session', mediaType: 'audio', fromDisplayName: 'Alice' });
    expect(sylk.apple(req, ctx)).toEqual({
      token: 'voip-or-bg-token',
      headers: {
        'apns-push-type': 'voip',
        'apns-expiration': '120',
        'apns-priority': '10',
        'apns-topic': 'com.agprojects.sylk-ios.voip',
      },
      payload: {
        event: 'incoming_session',
        'call-id': CALL_ID,
        'session-id': SESSION_ID,
        'media-type': 'audio',
        from_uri: 'alice@example.com',
        from_display_name: 'Alice',
        to_uri: 'bob@example.com',
      },
    });
  });

  it('incoming_conference_request: VoIP push that adds account', () => {
    const req = pushRequest({
      ...base,
      event: 'incoming_conference_request',
      mediaType: 'video',
      fromDisplayName: 'Alice',
      to: 'room1@conference.example.com',
      account: 'bob@example.com',
    });
    expect(sylk.apple(req, ctx)).toEqual({
      token: 'voip-or-bg-token',
      headers: {
        'apns-push-type': 'voip',
        'apns-expiration': '120',
        'apns-priority': '10',
        'apns-topic': 'com.agprojects.sylk-ios.voip',
      },
      payload: {
        event: 'incoming_conference_request',
        'call-id': CALL_ID,
        'session-id': SESSION_ID,
        'media-type': 'video',
        from_uri: 'alice@example.com',
        from_display_name: 'Alice',
        to_uri: 'room1@conference.example.com',
        account: 'bob@example.com',
      },
    });
  });

  it('cancel: background push with the content-available header', () => {
    const req = pushRequest({ ...base, event: 'cancel', reason: 'Call completed elsewhere' });
    expect(sylk.apple(req, ctx)).toEqual({
      token: 'voip-or-bg-token',
      headers: {
        'apns-push-type': 'background',
        'apns-expiration': '120',
        'apns-priority': '5',
        'apns-topic': 'com.agprojects.sylk-ios',
        'content-available': '1',
      },
      payload: { event: 'cancel', 'call-id': CALL_ID, 'session-id': SESSION_ID, reason: 'Call completed elsewhere' },
    });
  });

  it('message: alert titled with the display name, mutable, with the data block', () => {
    const req = pushRequest({
      ...base,
      event: 'message',
      mediaType: 'sms',
      fromDisplayName: 'Alice',
      badge: 3,
      content: 'hello',
      contentType: 'text/plain',
    });
    expect(sylk.apple(req, ctx)).toEqual({
      token: 'voip-or-bg-token',
      headers: {
        'apns-push-type': 'alert',
        'apns-expiration': '120',
        'apns-priority': '5',
        'apns-topic': 'com.agprojects.sylk-ios',
      },
      payload: {
        aps: {
          alert: { title: 'Alice', body: 'From alice@example.com' },
          message_id: CALL_ID,
          sound: 'default',
          'content-available': 1,
          'mutable-content': 1,
          badge: 3,
        },
        data: {
          event: 'message',
          message_id: CALL_ID,
          from_uri: 'alice@example.com',
          from_display_name: 'Alice',
          to_uri: 'bob@example.com',
          content: 'hello',
          content_type: 'text/plain',
        },
      },
    });
  });

  it('transfer: alert titled by media type, file-id and metadata', () => {
    const req = pushRequest({
      ...base,
      event: 'transfer',
      mediaType: 'audio',
      fromDisplayName: 'Alice',
      filename: 'memo.m4a',
      filetype: 'audio/mp4',
    });
    expect(sylk.apple(req, ctx)).toEqual({
      token: 'voip-or-bg-token',
      headers: {
        'apns-push-type': 'alert',
        'apns-expiration': '120',
        'apns-priority': '5',
        'apns-topic': 'com.agprojects.sylk-ios',
      },
      payload: {
        aps: {
          alert: { title: 'New audio message', body: 'From alice@example.com' },
          sound: 'default',
          'mutable-content': 1,
          badge: 1,
        },
        data: {
          event: 'transfer',
          from_uri: 'alice@example.com',
          from_display_name: 'Alice',
          to_uri: 'bob@example.com',
          'file-id': CALL_ID,
          'media-type': 'audio',
          metadata: { filename: 'memo.m4a', filetype: 'audio/mp4' },
        },
      },
    });
  });
});

describe('sylk × apple: absent values and title rules', () => {
  it('keeps absent values as JSON null (call, cancel, message, transfer)', () => {
    const call = sylk.apple(pushRequest({ ...base, event: 'incoming_conference_request', mediaType: 'audio' }), ctx);
    expect(call.payload).toEqual({
      event: 'incoming_conference_request',
      'call-id': CALL_ID,
      'session-id': SESSION_ID,
      'media-type': 'audio',
      from_uri: 'alice@example.com',
      from_display_name: null,
      to_uri: 'bob@example.com',
      account: null,
    });
    expect(JSON.stringify(call.payload)).toContain('"account":null');
    expect(sylk.apple(pushRequest({ ...base, event: 'cancel' }), ctx).payload).toEqual({
      event: 'cancel',
      'call-id': CALL_ID,
      'session-id': SESSION_ID,
      reason: null,
    });
    const message = sylk.apple(pushRequest({ ...base, event: 'message', mediaType: 'sms' }), ctx).payload;
    expect(message).toEqual({
      aps: {
        alert: { title: 'New message', body: 'From alice@example.com' },
        message_id: CALL_ID,
        sound: 'default',
        'content-available': 1,
        'mutable-content': 1,
        badge: 1,
      },
      data: {
        event: 'message',
        message_id: CALL_ID,
        from_uri: 'alice@example.com',
        from_display_name: null,
        to_uri: 'bob@example.com',
        content: null,
        content_type: null,
      },
    });
    const transfer = sylk.apple(pushRequest({ ...base, event: 'transfer', mediaType: 'file-transfer' }), ctx).payload;
    expect(transfer).toEqual({
      aps: {
        alert: { title: 'New file', body: 'From alice@example.com' },
        sound: 'default',
        'mutable-content': 1,
        badge: 1,
      },
      data: {
        event: 'transfer',
        from_uri: 'alice@example.com',
        from_display_name: null,
        to_uri: 'bob@example.com',
        'file-id': CALL_ID,
        'media-type': 'file-transfer',
        metadata: { filename: null, filetype: null },
      },
    });
  });

  it('incoming_session never carries account, even when the request has one', () => {
    const req = pushRequest({ ...base, event: 'incoming_session', mediaType: 'audio', account: 'bob@example.com' });
    expect(sylk.apple(req, ctx).payload).not.toHaveProperty('account');
  });

  it('message title falls back to "New message" on an empty display name too (Python `or`)', () => {
    const req = pushRequest({ ...base, event: 'message', mediaType: 'sms', fromDisplayName: '' });
    expect(sylk.apple(req, ctx).payload).toMatchObject({ aps: { alert: { title: 'New message' } } });
  });

  it.each([
    ['audio', 'New audio message'],
    ['video', 'New video message'],
    ['image', 'New file'],
    ['file-transfer', 'New file'],
    [null, 'New file'],
  ] as const)('transfer title for media-type %s is %s', (mediaType, title) => {
    const req = pushRequest({ ...base, event: 'transfer', mediaType });
    expect(sylk.apple(req, ctx).payload).toMatchObject({ aps: { alert: { title, body: 'From alice@example.com' } } });
  });

  it('topic: .dev stripped, a bare id kept, and .voip appended even when the id already has it (unlike Linphone)', () => {
    const topic = (appId: string, event: 'incoming_session' | 'message') =>
      sylk.apple(pushRequest({ ...base, appId, event, mediaType: 'audio' }), ctx).headers['apns-topic'];
    expect(topic('com.x.dev', 'incoming_session')).toBe('com.x.voip');
    expect(topic('com.x.dev', 'message')).toBe('com.x');
    expect(topic('com.x', 'incoming_session')).toBe('com.x.voip');
    expect(topic('com.x', 'message')).toBe('com.x');
    expect(topic('com.x.voip', 'incoming_session')).toBe('com.x.voip.voip');
  });
});
