// FCM payloads of a Linphone incoming call (Sylk's FirebaseLinphonePayload): legacy or HTTP v1 envelope.
import type { PushRequest } from '@pushwire/core';
import { toFcmData } from '../fcm-data.js';
import { linphoneSendTime } from './send-time.js';

/** Legacy API `time_to_live`, seconds (just under 28 days), Sylk's literal. */
const LEGACY_TIME_TO_LIVE = 2419199;

/** The same `data` in both envelopes; `silent` plays no part on Firebase. */
export function linphoneFirebaseData(r: PushRequest, now: Date): Record<string, string> {
  return {
    'call-id': r.callId,
    'sip-from': r.from,
    'loc-key': '',
    'loc-args': r.from,
    'send-time': linphoneSendTime(now),
  };
}

/** For an app with a legacy server key: the `/fcm/send` body, sent as Sylk sends it. */
export function linphoneFirebaseLegacyPayload(r: PushRequest, now: Date): Record<string, unknown> {
  return { to: r.token, time_to_live: LEGACY_TIME_TO_LIVE, priority: 'high', data: linphoneFirebaseData(r, now) };
}

/** For an app with a service account: the HTTP v1 envelope. */
export function linphoneFirebaseV1Payload(r: PushRequest, now: Date): Record<string, unknown> {
  return {
    message: {
      token: r.token,
      data: toFcmData(linphoneFirebaseData(r, now)),
      android: { priority: 'high', ttl: '60s' },
    },
  };
}

export function linphoneFirebasePayload(r: PushRequest, now: Date, legacy: boolean): Record<string, unknown> {
  return legacy ? linphoneFirebaseLegacyPayload(r, now) : linphoneFirebaseV1Payload(r, now);
}
