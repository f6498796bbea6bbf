import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toIncomingBody } from './incoming-body.js';
import { buildSinkPayload, sylkTimestamp } from './sink-payload.js';
import { sampleInput, samplePushRequest } from './test-support/sample-record.js';

/** WakeUpRequest's fields in declaration order, as `__dict__` gives them (reference §7.2). */
const SYLK_INCOMING_KEYS = [
  'app_id',
  'platform',
  'event',
  'token',
  'device_id',
  'call_id',
  'sip_from',
  'from_display_name',
  'sip_to',
  'media_type',
  'silent',
  'reason',
  'badge',
  'filename',
  'filetype',
  'account',
  'content',
  'content_type',
];

describe('toIncomingBody', () => {
  it('uses Sylk’s Python field names, in order, with every value carried over', () => {
    const request = samplePushRequest({
      event: 'message',
      mediaType: 'sms',
      content: 'hi',
      contentType: 'text/plain',
      badge: 3,
      silent: false,
    });
    const body = toIncomingBody(request);
    expect(Object.keys(body)).toEqual(SYLK_INCOMING_KEYS);
    expect(body).toMatchObject({
      app_id: 'com.example.sylk',
      platform: 'apple',
      event: 'message',
      call_id: 'call-1@example.com',
      sip_from: 'alice@example.com',
      sip_to: 'bob@example.com',
      from_display_name: 'Alice',
      device_id: 'device-1',
      media_type: 'sms',
      silent: false,
      badge: 3,
      content: 'hi',
      content_type: 'text/plain',
      reason: null,
      account: null,
    });
  });
});

describe('buildSinkPayload', () => {
  it('has exactly the keys of Sylk’s log_remotely body', () => {
    const input = sampleInput();
    const payload = buildSinkPayload(input, { serverIp: '192.0.2.7', now: Date.UTC(2025, 0, 2, 3, 4, 5) });
    expect(Object.keys(payload).sort()).toEqual(['request', 'response', 'server_ip', 'timestamp']);
    expect(Object.keys(payload.request).sort()).toEqual(['incoming_body', 'outgoing_body', 'outgoing_headers']);
    expect(Object.keys(payload.response).sort()).toEqual(['code', 'description', 'push_url']);
    expect(payload.server_ip).toBe('192.0.2.7');
    expect(typeof payload.request.outgoing_body).toBe('string');
    expect(payload.request.outgoing_body).toBe(input.outgoingBody);
    expect(payload.response).toEqual(input.response);
  });
});

describe('sylkTimestamp', () => {
  it('matches Python’s datetime.now().strftime("%Y-%m-%d %H:%M:%S") in this time zone', () => {
    for (const seconds of [0, 1_700_000_000, 1_719_791_999, 1_735_689_600]) {
      const python = execFileSync(
        'python3',
        ['-c', `import datetime; print(datetime.datetime.fromtimestamp(${seconds}).strftime('%Y-%m-%d %H:%M:%S'))`],
        { encoding: 'utf8' },
      ).trim();
      expect(sylkTimestamp(seconds * 1000 + 999)).toBe(python);
    }
  });
});
