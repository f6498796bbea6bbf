// `expiration_from_deadline` (a per-app Pushwire extension, docs/decisions/0007-delivery-deadlines-and-retries.md): the wire expiration of a push
// with a deadline says when it stops being worth delivering, instead of Sylk's fixed literals.
import { isRecord } from '@pushwire/core';
import type { OutgoingPush, Platform } from '@pushwire/core';

/**
 * A copy of `push` whose APNs `apns-expiration` is the deadline in epoch seconds, or whose FCM `android.ttl`
 * (and a legacy payload's `time_to_live`) is the remaining whole seconds, never negative.
 *
 * @param deadlineAt ms since epoch.
 * @param now ms since epoch.
 */
export function withExpirationFromDeadline(
  push: OutgoingPush,
  platform: Platform,
  deadlineAt: number,
  now: number,
): OutgoingPush {
  if (platform === 'apple') {
    return { ...push, headers: { ...push.headers, 'apns-expiration': String(Math.floor(deadlineAt / 1000)) } };
  }
  const remaining = Math.max(0, Math.floor((deadlineAt - now) / 1000));
  if (!isRecord(push.payload)) return push;
  const payload: Record<string, unknown> = { ...push.payload };
  if (isRecord(payload.message)) {
    const message = { ...payload.message };
    message.android = { ...(isRecord(message.android) ? message.android : {}), ttl: `${remaining}s` };
    payload.message = message;
  }
  // The retired legacy API's field (Linphone's legacy payload), in seconds.
  if (typeof payload.time_to_live === 'number') payload.time_to_live = remaining;
  return { ...push, payload };
}
