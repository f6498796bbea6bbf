// APNs headers of a Sylk push (Sylk's AppleSylkHeaders): VoIP for calls, background for cancel, alert otherwise.
import type { PushRequest } from '@pushwire/core';
import { apnsBaseTopic } from '../apns-topic.js';
import { isCallEvent } from './call-events.js';

/** Sylk's literal, an epoch second in 1970: APNs delivers now or never. */
const SYLK_APNS_EXPIRATION = '120';

/** Headers without `authorization` (the APNs provider adds it in token mode). */
export function sylkAppleHeaders(request: PushRequest): Record<string, string> {
  const call = isCallEvent(request.event);
  const pushType = call ? 'voip' : request.event === 'cancel' ? 'background' : 'alert';
  const base = apnsBaseTopic(request.appId);
  const headers: Record<string, string> = {
    'apns-push-type': pushType,
    'apns-expiration': SYLK_APNS_EXPIRATION,
    'apns-priority': call ? '10' : '5',
    // Unlike Linphone, Sylk appends `.voip` even when the app-id already has it.
    'apns-topic': call ? `${base}.voip` : base,
  };
  // Nonstandard (APNs ignores it) but Sylk sends it on every background push.
  if (pushType === 'background') headers['content-available'] = '1';
  return headers;
}
