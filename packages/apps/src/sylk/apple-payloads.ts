// APNs payloads of a Sylk push, one builder per event (Sylk's AppleSylkPayload). Absent values stay JSON null.
import { sessionIdFromCallId, type PushRequest } from '@pushwire/core';
import { carriesAccount, transferTitle } from './call-events.js';

/** cancel: a background push the app matches to the ringing call by `session-id`. */
export function sylkAppleCancelPayload(r: PushRequest): Record<string, unknown> {
  return { event: 'cancel', 'call-id': r.callId, 'session-id': sessionIdFromCallId(r.callId), reason: r.reason };
}

/** incoming_session / incoming_conference_request: a flat VoIP payload, no `aps`. */
export function sylkAppleCallPayload(r: PushRequest): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    event: r.event,
    'call-id': r.callId,
    'session-id': sessionIdFromCallId(r.callId),
    'media-type': r.mediaType,
    from_uri: r.from,
    from_display_name: r.fromDisplayName,
    to_uri: r.to,
  };
  if (carriesAccount(r.event)) payload.account = r.account;
  return payload;
}

/** message: an alert the app's notification service extension may retitle (`mutable-content`). */
export function sylkAppleMessagePayload(r: PushRequest): Record<string, unknown> {
  return {
    aps: {
      // `or` in Sylk: an empty display name also falls back.
      alert: { title: r.fromDisplayName || 'New message', body: `From ${r.from}` },
      message_id: r.callId,
      sound: 'default',
      'content-available': 1,
      'mutable-content': 1,
      badge: r.badge,
    },
    data: {
      event: 'message',
      message_id: r.callId,
      from_uri: r.from,
      from_display_name: r.fromDisplayName,
      to_uri: r.to,
      content: r.content,
      content_type: r.contentType,
    },
  };
}

/** transfer: an alert announcing a file; the call-id is the file id. */
export function sylkAppleTransferPayload(r: PushRequest): Record<string, unknown> {
  return {
    aps: {
      alert: { title: transferTitle(r.mediaType), body: `From ${r.from}` },
      sound: 'default',
      'mutable-content': 1,
      badge: r.badge,
    },
    data: {
      event: 'transfer',
      from_uri: r.from,
      from_display_name: r.fromDisplayName,
      to_uri: r.to,
      'file-id': r.callId,
      'media-type': r.mediaType,
      metadata: { filename: r.filename, filetype: r.filetype },
    },
  };
}

export function sylkApplePayload(r: PushRequest): Record<string, unknown> {
  switch (r.event) {
    case 'cancel':
      return sylkAppleCancelPayload(r);
    case 'message':
      return sylkAppleMessagePayload(r);
    case 'transfer':
      return sylkAppleTransferPayload(r);
    case 'incoming_session':
    case 'incoming_conference_request':
      return sylkAppleCallPayload(r);
  }
}
