// APNs payloads of a Linphone incoming call (Sylk's AppleLinphonePayload): silent or with an alert.
import type { PushRequest } from '@pushwire/core';
import { linphoneSendTime } from './send-time.js';

/** Linphone's push lifetime hint, seconds (30 days), as Sylk sends it. */
const PN_TTL = 2592000;

/** silent (the default): the app wakes and rings by itself; the call-id sits inside `aps`. */
export function linphoneAppleSilentPayload(r: PushRequest, now: Date): Record<string, unknown> {
  return {
    aps: { sound: '', 'loc-key': 'IC_SIL', 'call-id': r.callId, 'send-time': linphoneSendTime(now) },
    'from-uri': r.from,
    pn_ttl: PN_TTL,
  };
}

/** not silent: iOS shows the alert; the call-id sits beside `aps`. */
export function linphoneAppleAlertPayload(r: PushRequest, now: Date): Record<string, unknown> {
  return {
    aps: { alert: { 'loc-key': 'IC_MSG', 'loc-args': r.from }, sound: 'msg.caf', badge: 1 },
    pn_ttl: PN_TTL,
    'call-id': r.callId,
    'send-time': linphoneSendTime(now),
  };
}

export function linphoneApplePayload(r: PushRequest, now: Date): Record<string, unknown> {
  return r.silent ? linphoneAppleSilentPayload(r, now) : linphoneAppleAlertPayload(r, now);
}
