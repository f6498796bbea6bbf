// The RFC 8030 headers of a Web Push message, the same for every app type: how urgent, how long it is worth
// keeping, and which pending message it replaces.
import { createHash } from 'node:crypto';
import { CALL_EVENTS, type PushRequest } from '@pushwire/core';

/** A message or file transfer stays worth delivering for a day (a browser may be closed overnight). */
export const WEBPUSH_MESSAGE_TTL_S = 86_400;

/** Call wake-ups and their cancel: urgent, short-lived, and one Topic per call. */
function isCallTraffic(r: PushRequest): boolean {
  return CALL_EVENTS.includes(r.event) || r.event === 'cancel';
}

/**
 * RFC 8030 §5.4: a Topic is at most 32 base64url characters. Hashing app and call id fits any call id and
 * keeps it off the wire; a cancel shares its call's Topic, so the push service replaces a wake-up still pending.
 */
export function webPushTopic(appId: string, callId: string): string {
  return createHash('sha256').update(`${appId}\u0000${callId}`).digest('base64url').slice(0, 32);
}

/**
 * @param deadlineAt the push's call deadline, ms since epoch: its TTL is the whole seconds left (never
 * negative: 0 asks for delivery now or never). Without one, {@link WEBPUSH_MESSAGE_TTL_S}.
 * @param now ms since epoch.
 */
export function webPushHeaders(r: PushRequest, now: number, deadlineAt: number | undefined): Record<string, string> {
  const ttl = deadlineAt === undefined ? WEBPUSH_MESSAGE_TTL_S : Math.max(0, Math.floor((deadlineAt - now) / 1000));
  if (!isCallTraffic(r)) return { TTL: String(ttl), Urgency: 'normal' };
  return { TTL: String(ttl), Urgency: 'high', Topic: webPushTopic(r.appId, r.callId) };
}
