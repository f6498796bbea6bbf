// The contract between the worker and a push service (one class per service, as Sygnal's pushkins).
import type { Platform } from './platform.js';

/** What an app-type builder produces for one push: provider headers (no credentials) and the JSON payload. */
export interface OutgoingPush {
  /** Device token, used as sent (`/3/device/<token>` for APNs, `message.token` is already in the FCM payload). */
  token: string;
  /** Header values are strings, as Sylk sends them. Credentials are added by the provider, never here. */
  headers: Record<string, string>;
  /** JSON-serialisable payload. */
  payload: unknown;
}

/**
 * The push service's answer, in the shape Sylk returns under `data` (minus `platform`, `call_id` and `token`,
 * which the worker adds): `code` after Sylk's mapping (dead token → 410), `reason` as Sylk words it.
 */
export interface ProviderResponse {
  code: number;
  reason: string;
  /** APNs: `{}` on 200, else Apple's error JSON. FCM: requests.Response-like dict with `_content`. */
  body: unknown;
  url: string;
}

export type SendOutcome =
  | { kind: 'delivered'; response: ProviderResponse }
  /** The token is dead (Sylk maps these to 410): remove it, never retry. */
  | { kind: 'dead-token'; response: ProviderResponse }
  /** Transport failure, 5xx or 429: worth another attempt; `retryAfterMs` from Retry-After when given. */
  | { kind: 'retryable'; response: ProviderResponse; retryAfterMs?: number }
  /** Any other refusal: retrying cannot help. */
  | { kind: 'rejected'; response: ProviderResponse };

export interface SendOptions {
  /** Abort the send (deadline, shutdown). */
  signal?: AbortSignal;
}

export interface PushProvider {
  readonly platform: Platform;
  send(push: OutgoingPush, options?: SendOptions): Promise<SendOutcome>;
  /** Close connections; in-flight sends finish first. */
  close(): Promise<void>;
}

/** What Sylk answers under `data` for one push. */
export interface PushResult extends ProviderResponse {
  platform: Platform;
  call_id: string;
  token: string;
}
