// The event and media-type vocabularies of Sylk's v1 API (models/requests.py).
export const EVENTS = ['incoming_session', 'incoming_conference_request', 'cancel', 'message', 'transfer'] as const;
export type PushEvent = (typeof EVENTS)[number];

export const MEDIA_TYPES = ['audio', 'video', 'chat', 'sms', 'file-transfer', 'image'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Events that wake a phone for a call: useless once the call is over. */
export const CALL_EVENTS: readonly PushEvent[] = ['incoming_session', 'incoming_conference_request'];

export function isPushEvent(value: string): value is PushEvent {
  return (EVENTS as readonly string[]).includes(value);
}
