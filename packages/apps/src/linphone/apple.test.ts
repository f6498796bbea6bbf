// Linphone on Apple: silent and alert payloads, full headers, written out from sylk-behaviour.md §4.2.
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../test-support/push-request.js';
import { linphone } from './index.js';

// Local-time components, so the expected send-time holds in any server time zone.
const ctx = { now: new Date(2025, 7, 9, 7, 5, 3) };
const SEND_TIME = '2025-08-09 07:05:03';
const base = {
  appId: 'org.linphone.phone.prod',
  platform: 'apple',
  event: 'incoming_session',
  token: 'apns-voip-token',
  callId: 'lp-call-1@sip.example.org',
  from: 'sip:alice@example.org',
  to: 'sip:bob@example.org',
  mediaType: 'audio',
} as const;
const HEADERS = {
  'apns-push-type': 'voip',
  'apns-expiration': '10',
  'apns-priority': '10',
  'apns-topic': 'org.linphone.phone.voip',
};

describe('linphone × apple', () => {
  it('silent (default): IC_SIL inside aps, from-uri beside it', () => {
    expect(linphone.apple(pushRequest({ ...base, silent: true }), ctx)).toEqual({
      token: 'apns-voip-token',
      headers: HEADERS,
      payload: {
        aps: { sound: '', 'loc-key': 'IC_SIL', 'call-id': 'lp-call-1@sip.example.org', 'send-time': SEND_TIME },
        'from-uri': 'sip:alice@example.org',
        pn_ttl: 2592000,
      },
    });
  });

  it('not silent: IC_MSG alert, call-id and send-time beside aps', () => {
    expect(linphone.apple(pushRequest({ ...base, silent: false }), ctx)).toEqual({
      token: 'apns-voip-token',
      headers: HEADERS,
      payload: {
        aps: { alert: { 'loc-key': 'IC_MSG', 'loc-args': 'sip:alice@example.org' }, sound: 'msg.caf', badge: 1 },
        pn_ttl: 2592000,
        'call-id': 'lp-call-1@sip.example.org',
        'send-time': SEND_TIME,
      },
    });
  });

  it('badge stays the literal 1 whatever the request says', () => {
    const out = linphone.apple(pushRequest({ ...base, silent: false, badge: 7 }), ctx);
    expect(out.payload).toMatchObject({ aps: { badge: 1 } });
  });

  it.each([
    ['org.linphone.phone.dev', 'org.linphone.phone.voip'],
    ['org.linphone.phone.prod', 'org.linphone.phone.voip'],
    ['org.linphone.phone', 'org.linphone.phone.voip'],
    ['org.linphone.phone.voip', 'org.linphone.phone.voip'],
    ['org.linphone.phone.voip.dev', 'org.linphone.phone.voip'],
    // Sylk's test is `'.voip' in topic`, a substring test.
    ['org.linphone.voipapp', 'org.linphone.voipapp'],
  ])('topic for %s is %s', (appId, topic) => {
    expect(linphone.apple(pushRequest({ ...base, appId }), ctx).headers).toEqual({ ...HEADERS, 'apns-topic': topic });
  });
});
