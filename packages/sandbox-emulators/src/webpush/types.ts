// Public shapes of the Web Push emulator: options, the subscriptions it issues, what it records, its faults.
import type { Clock } from '@pushwire/core';

export interface WebPushEmulatorOptions {
  /** Server certificate and key (e.g. `createTestCa().issueServer()`). */
  tls: { cert: string; key: string };
  /** Time source for the VAPID JWT's `exp`. Default: `systemClock`. */
  clock?: Clock;
  /** Address to listen on. Default `127.0.0.1`; the port is always a free one. */
  host?: string;
  /** Subscriptions known from the start (fixed keys, for examples that must not change between runs). */
  subscriptions?: readonly PresetSubscription[];
}

/** A subscription with given user-agent keys: `privateKey` (32 bytes) and `auth` (16 bytes), base64url. */
export interface PresetSubscription {
  id: string;
  privateKey: string;
  auth: string;
  /** The VAPID public key the subscription is bound to (pushes signed by another key answer 403). */
  applicationServerKey?: string;
}

/** What `PushSubscription.toJSON()` gives a page, plus the emulator's id of it. */
export interface IssuedSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface RecordedWebPush {
  /** `clock.now()` when the request had fully arrived (ms). */
  at: number;
  /** The subscription id (last path segment). */
  id: string;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** The status answered; 0 when nothing was answered (a `drop` fault). */
  status: number;
  /** Why the emulator answered an error, '' for 201. */
  reason: string;
  ttl: number | null;
  urgency: string | null;
  topic: string | null;
  /** The decrypted payload (UTF-8), null when not decrypted. */
  plaintext: string | null;
  /** The plaintext parsed as JSON, null when it is not JSON. */
  json: unknown | null;
  /** The verified VAPID claims (`aud`, `exp`, `sub`), null when the authorization failed. */
  vapid: Record<string, unknown> | null;
  fault: 'status' | 'drop' | null;
}

/** A fault for one subscription id; `times` defaults to Infinity. Faults queue in order. */
export type WebPushFault =
  | { status: number; retryAfterSeconds?: number; body?: string; times?: number }
  | { drop: true; times?: number };

export interface WebPushEmulator {
  readonly port: number;
  readonly origin: string;
  /** The demo page: shows what a subscription received, decrypted. */
  readonly demoUrl: string;
  /** Every push request, in arrival order. */
  readonly requests: RecordedWebPush[];
  /** Issues a subscription as a browser's PushManager.subscribe() would (fresh P-256 keys and auth secret). */
  subscribe(options?: { applicationServerKey?: string }): IssuedSubscription;
  /** The subscription of an id (issued or preset), as JSON a page would hold. */
  subscription(id: string): IssuedSubscription;
  /** The subscription is gone: later pushes answer 410. */
  unsubscribe(id: string): void;
  failSubscription(id: string, fault: WebPushFault): void;
  /** A whole-service outage: every push answers this status (after its VAPID check) until `outage(null)`. */
  outage(status: number | null): void;
  clearFaults(): void;
  /** Accepted (201) pushes of a subscription, in order. */
  received(id: string): RecordedWebPush[];
  /** What a browser that comes online now would get: accepted pushes, a later one replacing an earlier one of the same Topic. */
  pending(id: string): RecordedWebPush[];
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedWebPush[]>;
  reset(): void;
  close(): Promise<void>;
}
