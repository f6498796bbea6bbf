// The contract every app type (sylk, linphone, ...) fulfils: per-platform builders of headers + payload.
import type { OutgoingPush, PushRequest } from '@pushwire/core';
import type { AppTypeRules } from './rules.js';

/** What a builder may read besides the request; injected so payloads are reproducible in tests. */
export interface BuildContext {
  /** Send time. Linphone writes it into its payloads as the server's local time (`%Y-%m-%d %H:%M:%S`). */
  now: Date;
}

export interface FirebaseBuildContext extends BuildContext {
  /** True for an app authenticated with a legacy server key (`firebase_authorization_key`), false for a service account. */
  legacy: boolean;
}

export interface WebPushBuildContext extends BuildContext {
  /** The push's call deadline, ms since epoch, when it has one: the message's TTL ends there. */
  deadlineAt?: number;
}

/**
 * One app type, as Sylk's `applications/<type>.py` (`<Platform><Type>Headers` + `<Platform><Type>Payload`).
 * Builders are pure: they never add credentials (the providers do) and never touch the network.
 */
export interface AppType {
  /** Lower-case name as written in applications.ini `app_type`. */
  readonly name: string;
  /** How ingest validates a request for an app of this type. */
  readonly rules: AppTypeRules;
  /** APNs headers (without `authorization`) and payload. */
  apple(request: PushRequest, ctx: BuildContext): OutgoingPush;
  /** FCM payload; headers are `{}` because the FCM client adds authorization and content-type. */
  firebase(request: PushRequest, ctx: FirebaseBuildContext): OutgoingPush;
  /** Web Push: `token` is the subscription JSON, headers are TTL/Urgency/Topic, payload the JSON a service worker reads. */
  webpush(request: PushRequest, ctx: WebPushBuildContext): OutgoingPush;
}
