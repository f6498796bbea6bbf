// Web Push payload of a Linphone incoming call: the keys of its Firebase `data`, plus the event.
import type { PushRequest } from '@pushwire/core';
import { linphoneFirebaseData } from './firebase-payloads.js';

export function linphoneWebPushPayload(r: PushRequest, now: Date): Record<string, unknown> {
  return { event: r.event, ...linphoneFirebaseData(r, now) };
}
