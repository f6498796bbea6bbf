// Web Push payloads of a Sylk push: the keys Sylk's Firebase `data` carries, as plain JSON, so a browser
// client's service worker reads what Sylk's Android client reads (`event.data.json().event`, `call-id` ...).
import type { PushRequest } from '@pushwire/core';
import {
  sylkFirebaseCallData,
  sylkFirebaseCancelData,
  sylkFirebaseMessageData,
  sylkFirebaseTransferData,
} from './firebase-payloads.js';

export function sylkWebPushPayload(r: PushRequest): Record<string, unknown> {
  switch (r.event) {
    case 'cancel':
      return sylkFirebaseCancelData(r);
    case 'incoming_session':
    case 'incoming_conference_request':
      return sylkFirebaseCallData(r);
    case 'message':
      return sylkFirebaseMessageData(r);
    case 'transfer':
      return sylkFirebaseTransferData(r);
  }
}
