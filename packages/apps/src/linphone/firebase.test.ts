// Linphone on Firebase: legacy and v1 envelopes × silent true/false, written out from sylk-behaviour.md §4.3.
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../test-support/push-request.js';
import { linphone } from './index.js';

const now = new Date(2025, 7, 9, 17, 45, 0);
const SEND_TIME = '2025-08-09 17:45:00';
const base = {
  appId: 'org.linphone.phone',
  platform: 'firebase',
  event: 'incoming_session',
  token: 'fcm-token-9',
  callId: 'lp-call-2@sip.example.org',
  from: 'sip:alice@example.org',
  to: 'sip:bob@example.org',
  mediaType: 'video',
} as const;
const DATA = {
  'call-id': 'lp-call-2@sip.example.org',
  'sip-from': 'sip:alice@example.org',
  'loc-key': '',
  'loc-args': 'sip:alice@example.org',
  'send-time': SEND_TIME,
};
const LEGACY = {
  token: 'fcm-token-9',
  headers: {},
  payload: { to: 'fcm-token-9', time_to_live: 2419199, priority: 'high', data: DATA },
};
const V1 = {
  token: 'fcm-token-9',
  headers: {},
  payload: { message: { token: 'fcm-token-9', data: DATA, android: { priority: 'high', ttl: '60s' } } },
};

describe('linphone × firebase', () => {
  it('legacy key, silent: the /fcm/send body', () => {
    expect(linphone.firebase(pushRequest({ ...base, silent: true }), { now, legacy: true })).toEqual(LEGACY);
  });
  it('legacy key, not silent: the same body (silent plays no part on Firebase)', () => {
    expect(linphone.firebase(pushRequest({ ...base, silent: false }), { now, legacy: true })).toEqual(LEGACY);
  });
  it('service account, silent: the v1 envelope', () => {
    expect(linphone.firebase(pushRequest({ ...base, silent: true }), { now, legacy: false })).toEqual(V1);
  });
  it('service account, not silent: the v1 envelope', () => {
    expect(linphone.firebase(pushRequest({ ...base, silent: false }), { now, legacy: false })).toEqual(V1);
  });
  it('legacy payload is sent as-is: loc-key stays an empty string, time_to_live a number', () => {
    const out = linphone.firebase(pushRequest(base), { now, legacy: true });
    expect(JSON.stringify(out.payload)).toContain('"time_to_live":2419199');
    expect(JSON.stringify(out.payload)).toContain('"loc-key":""');
  });
});
