// FCM HTTP v1 payloads of a Sylk push, one `data` builder per event plus the envelope (Sylk's FirebaseSylkPayload).
import { sessionIdFromCallId, type PushRequest } from '@pushwire/core';
import { toFcmData } from '../fcm-data.js';
import { carriesAccount, transferTitle } from './call-events.js';

/** Shown by Android in the transfer notification (Sylk's literal). */
export const SYLK_TRANSFER_IMAGE_URL = 'https://icanblink.com/apple-touch-icon-180x180.png';

// Fresh objects per payload: a caller mutating one payload must not change the next.
/** Short-lived and urgent, as Sylk sends every Sylk push. */
const android = (): { priority: string; ttl: string } => ({ priority: 'high', ttl: '60s' });
/** iOS devices reached through FCM: messages and transfers are not urgent. */
const apnsLowPriority = (): { headers: Record<string, string> } => ({ headers: { 'apns-priority': '5' } });

export function sylkFirebaseCancelData(r: PushRequest): Record<string, unknown> {
  return { event: 'cancel', 'call-id': r.callId, 'session-id': sessionIdFromCallId(r.callId), reason: r.reason };
}

/** incoming_session / incoming_conference_request: the only events whose display name falls back to `from`. */
export function sylkFirebaseCallData(r: PushRequest): Record<string, unknown> {
  const data: Record<string, unknown> = {
    event: r.event,
    'call-id': r.callId,
    'session-id': sessionIdFromCallId(r.callId),
    'media-type': r.mediaType,
    from_uri: r.from,
    from_display_name: r.fromDisplayName || r.from,
    to_uri: r.to,
  };
  if (carriesAccount(r.event)) data.account = r.account;
  return data;
}

export function sylkFirebaseMessageData(r: PushRequest): Record<string, unknown> {
  return {
    event: 'message',
    message_id: r.callId,
    from_uri: r.from,
    to_uri: r.to,
    content: r.content,
    content_type: r.contentType,
  };
}

export function sylkFirebaseTransferData(r: PushRequest): Record<string, unknown> {
  return {
    event: 'transfer',
    from_uri: r.from,
    to_uri: r.to,
    'media-type': r.mediaType,
    'file-id': r.callId,
    metadata: { filename: r.filename, filetype: r.filetype },
  };
}

/**
 * Always the v1 envelope, even for an app with a legacy server key (as Sylk). `data` goes through
 * {@link toFcmData}; only `transfer` carries a visible notification.
 */
export function sylkFirebasePayload(r: PushRequest): Record<string, unknown> {
  switch (r.event) {
    case 'cancel':
      return { message: { token: r.token, data: toFcmData(sylkFirebaseCancelData(r)), android: android() } };
    case 'incoming_session':
    case 'incoming_conference_request':
      return { message: { token: r.token, data: toFcmData(sylkFirebaseCallData(r)), android: android() } };
    case 'message':
      return {
        message: {
          token: r.token,
          data: toFcmData(sylkFirebaseMessageData(r)),
          apns: apnsLowPriority(),
          android: android(),
        },
      };
    case 'transfer':
      return {
        message: {
          token: r.token,
          data: toFcmData(sylkFirebaseTransferData(r)),
          notification: { title: transferTitle(r.mediaType), body: `From ${r.from}`, image: SYLK_TRANSFER_IMAGE_URL },
          apns: apnsLowPriority(),
          android: {
            ...android(),
            notification: {
              channel_id: 'sylk-messages-sound',
              sound: 'default',
              default_sound: true,
              notification_priority: 'PRIORITY_HIGH',
            },
          },
        },
      };
  }
}
