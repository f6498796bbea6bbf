// Which Sylk events wake the phone for a call (VoIP push on Apple, call data on Firebase).
import { CALL_EVENTS, type PushEvent } from '@pushwire/core';

/** Sylk: `event in ('incoming_session', 'incoming_conference_request')`. */
export function isCallEvent(event: PushEvent): boolean {
  return CALL_EVENTS.includes(event);
}

/**
 * Sylk adds `account` when `event in ('incoming_conference_request')`: a substring test on a string, which
 * among the five valid events only the conference event itself passes.
 */
export function carriesAccount(event: PushEvent): boolean {
  return event === 'incoming_conference_request';
}

/** Sylk's transfer title, the same on Apple and Firebase. */
export function transferTitle(mediaType: string | null): string {
  return mediaType === 'audio' || mediaType === 'video' ? `New ${mediaType} message` : 'New file';
}
