// The Push Kit data message for a push the app type built for Android (FCM v1 shape): the same `data`
// keys the Android app already reads, as Push Kit's JSON-string `data` (docs/decisions/0023-huawei-push-kit.md).
import { isRecord, type OutgoingPush } from '@pushwire/core';

/** The body of `POST /v1/{appId}/messages:send`. */
export interface HuaweiSendBody {
  validate_only: boolean;
  message: {
    /** Push Kit carries data as one string; the app parses it back into the keys FCM would have given it. */
    data: string;
    android: { urgency: 'HIGH' | 'NORMAL'; ttl?: string };
    token: string[];
  };
}

/**
 * A data message (never a notification: the app shows its own call screen or notification, as with FCM
 * data): `data` = the JSON of the FCM `data` map, `urgency` HIGH when FCM's priority is high, `ttl` as the
 * FCM `android.ttl` (the remaining lifetime of a call once the worker applied the deadline).
 */
export function toHuaweiMessage(push: OutgoingPush, validateOnly = false): HuaweiSendBody {
  const message = isRecord(push.payload) && isRecord(push.payload.message) ? push.payload.message : {};
  const data = isRecord(message.data) ? message.data : {};
  const fcmAndroid = isRecord(message.android) ? message.android : {};
  const android: HuaweiSendBody['message']['android'] = {
    urgency: String(fcmAndroid.priority ?? 'high').toLowerCase() === 'normal' ? 'NORMAL' : 'HIGH',
  };
  if (typeof fcmAndroid.ttl === 'string' && /^\d+(?:\.\d{1,9})?s$/.test(fcmAndroid.ttl)) android.ttl = fcmAndroid.ttl;
  return { validate_only: validateOnly, message: { data: JSON.stringify(data), android, token: [push.token] } };
}
