// Push bodies for the reliability tests, and what the emulators received of them, keyed by push id.
import type { Sandbox } from '@pushwire/sandbox-emulators';

export const SYLK_APP = 'com.pushwire.sandbox.sylk.dev';
export const LINPHONE_APP = 'com.pushwire.sandbox.linphone.dev';

/** A distinct, valid APNs device token (64 hex characters) per `group` and `n`. */
export function appleToken(group: number, n: number): string {
  return `${group.toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`.padEnd(64, 'e');
}

export interface MessagePushOptions {
  platform: 'apple' | 'firebase' | 'webpush';
  token: string;
  /** The call-id: every push of a test gets its own, so deliveries can be counted per push. */
  id: string;
  appId?: string;
}

/**
 * A Sylk `message` push with `media-type: chat`: no call deadline applies (docs/decisions/0007-delivery-deadlines-and-retries.md), so a push delayed
 * by a crash or an outage is still owed to the device.
 */
export function messagePush(o: MessagePushOptions): Record<string, unknown> {
  return {
    'app-id': o.appId ?? SYLK_APP,
    platform: o.platform,
    token: o.token,
    event: 'message',
    'call-id': o.id,
    from: 'alice@example.com',
    to: 'bob@example.com',
    'media-type': 'chat',
    silent: true,
    content: `message ${o.id}`,
    'content-type': 'text/plain',
    badge: 1,
  };
}

/** A wake-up for a Linphone app (its required keys only). */
export function linphoneCallPush(o: {
  platform: 'apple' | 'firebase';
  token: string;
  id: string;
}): Record<string, unknown> {
  return {
    'app-id': LINPHONE_APP,
    platform: o.platform,
    token: o.token,
    'call-id': o.id,
    from: 'alice@example.com',
    to: 'bob@example.com',
    'media-type': 'audio',
    silent: true,
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The push id (call-id, message id or file id) inside an outgoing APNs or FCM payload, whatever the app type. */
export function pushIdOf(payload: unknown): string | null {
  const fcmData = field(field(payload, 'message'), 'data');
  const candidates = [
    field(field(payload, 'data'), 'message_id'),
    field(fcmData, 'message_id'),
    field(fcmData, 'call-id'),
    field(payload, 'call-id'),
    field(field(payload, 'aps'), 'call-id'),
    field(field(payload, 'data'), 'file-id'),
    field(fcmData, 'file-id'),
  ];
  const id = candidates.find((c) => typeof c === 'string');
  return typeof id === 'string' ? id : null;
}

/** How many times each push id was accepted (200) by either emulator. */
export function deliveredIds(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (payload: unknown) => {
    const id = pushIdOf(payload);
    if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  for (const r of sandbox.apns.requests) if (r.delivered) count(r.json);
  for (const r of sandbox.fcm.requests) if (r.status === 200) count(r.json);
  return counts;
}

/** Deliveries beyond the first, summed over all push ids (at-least-once shows up here). */
export function duplicateCount(delivered: ReadonlyMap<string, number>): number {
  let extra = 0;
  for (const n of delivered.values()) extra += n - 1;
  return extra;
}
