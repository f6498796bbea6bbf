// Web Push builders: payload per app type and event, Urgency/TTL/Topic from the event and the call deadline.
import { withSylkDefaults, type PushEvent } from '@pushwire/core';
import { describe, expect, it } from 'vitest';
import { linphone } from './linphone/index.js';
import { sylk } from './sylk/index.js';
import { WEBPUSH_MESSAGE_TTL_S, webPushTopic } from './webpush-headers.js';

const NOW = new Date('2026-12-06T10:00:00Z');
const TOKEN = '{"endpoint":"https://fcm.googleapis.com/fcm/send/x","keys":{"p256dh":"p","auth":"a"}}';
const request = (event: PushEvent, extra = {}) =>
  withSylkDefaults({
    appId: 'com.example.web',
    platform: 'webpush',
    event,
    token: TOKEN,
    callId: 'call-1',
    from: 'alice@example.com',
    to: 'bob@example.com',
    mediaType: 'audio',
    ...extra,
  });

describe('Sylk on Web Push', () => {
  it("a call: high urgency, TTL = whole seconds left to the deadline, the call's Topic; Sylk's Firebase data keys", () => {
    const push = sylk.webpush(request('incoming_session', { fromDisplayName: 'Alice' }), {
      now: NOW,
      deadlineAt: NOW.getTime() + 59_600,
    });
    expect(push.token).toBe(TOKEN);
    expect(push.headers).toEqual({ TTL: '59', Urgency: 'high', Topic: webPushTopic('com.example.web', 'call-1') });
    expect(push.payload).toEqual({
      event: 'incoming_session',
      'call-id': 'call-1',
      'session-id': expect.any(String),
      'media-type': 'audio',
      from_uri: 'alice@example.com',
      from_display_name: 'Alice',
      to_uri: 'bob@example.com',
    });
  });

  it('a conference invitation carries the account', () => {
    const push = sylk.webpush(request('incoming_conference_request', { account: 'bob@example.com' }), {
      now: NOW,
      deadlineAt: NOW.getTime() + 60_000,
    });
    expect(push.payload).toMatchObject({ event: 'incoming_conference_request', account: 'bob@example.com' });
  });

  it("a cancel shares the call's Topic (it replaces a pending wake-up) and is urgent", () => {
    const wake = sylk.webpush(request('incoming_session'), { now: NOW, deadlineAt: NOW.getTime() + 60_000 });
    const cancel = sylk.webpush(request('cancel', { reason: 'hangup' }), {
      now: NOW,
      deadlineAt: NOW.getTime() + 60_000,
    });
    expect(cancel.headers.Topic).toBe(wake.headers.Topic);
    expect(cancel.headers.Urgency).toBe('high');
    expect(cancel.payload).toEqual({
      event: 'cancel',
      'call-id': 'call-1',
      'session-id': expect.any(String),
      reason: 'hangup',
    });
  });

  it('a message or transfer: normal urgency, a day of TTL, no Topic', () => {
    const message = sylk.webpush(request('message', { content: 'hi', contentType: 'text/plain' }), { now: NOW });
    expect(message.headers).toEqual({ TTL: String(WEBPUSH_MESSAGE_TTL_S), Urgency: 'normal' });
    expect(message.payload).toEqual({
      event: 'message',
      message_id: 'call-1',
      from_uri: 'alice@example.com',
      to_uri: 'bob@example.com',
      content: 'hi',
      content_type: 'text/plain',
    });
    const transfer = sylk.webpush(
      request('transfer', { filename: 'a.jpg', filetype: 'image/jpeg', mediaType: 'image' }),
      { now: NOW },
    );
    expect(transfer.payload).toMatchObject({
      event: 'transfer',
      'file-id': 'call-1',
      metadata: { filename: 'a.jpg', filetype: 'image/jpeg' },
    });
  });

  it('a deadline already past gives TTL 0 (deliver now or never), never a negative one', () => {
    expect(sylk.webpush(request('incoming_session'), { now: NOW, deadlineAt: NOW.getTime() - 5000 }).headers.TTL).toBe(
      '0',
    );
  });

  it('Topic: at most 32 base64url characters whatever the call id', () => {
    const topic = webPushTopic('com.example.web', `${'x'.repeat(500)}@sip.example.com;tag=é`);
    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(webPushTopic('a', 'call-1')).not.toBe(webPushTopic('b', 'call-1'));
  });
});

describe('Linphone on Web Push', () => {
  it('an incoming call: its Firebase data keys plus the event', () => {
    const push = linphone.webpush(request('incoming_session'), { now: NOW, deadlineAt: NOW.getTime() + 60_000 });
    expect(push.headers).toMatchObject({ Urgency: 'high', TTL: '60' });
    expect(push.payload).toEqual({
      event: 'incoming_session',
      'call-id': 'call-1',
      'sip-from': 'alice@example.com',
      'loc-key': '',
      'loc-args': 'alice@example.com',
      'send-time': expect.any(String),
    });
  });
});
