// Public shapes of the FCM emulator: its options, its handle, what it records and the faults it injects.
import type { Clock } from '@pushwire/core';

export interface FcmEmulatorOptions {
  /** Server certificate and key (e.g. `createTestCa().issueServer()`). */
  tls: { cert: string; key: string };
  /** Time source for JWT age and access-token expiry. Default: `systemClock`. */
  clock?: Clock;
  /** Address to listen on. Default `127.0.0.1`; the port is always a free one. */
  host?: string;
}

/** A service account the emulator knows, as Google holds the public half of its key. */
export interface RegisteredServiceAccount {
  /** The JWT `iss` of its grants. */
  client_email: string;
  /** RSA public key, PEM (SPKI). */
  publicKeyPem: string;
  /** The project it may send for (`/v1/projects/<projectId>/messages:send`). */
  projectId: string;
  /** When set, a JWT header `kid` must equal it (the header may omit `kid`). */
  private_key_id?: string;
}

export interface RecordedFcmRequest {
  /** `clock.now()` when the request had fully arrived (ms). */
  at: number;
  method: string;
  path: string;
  /** From `/v1/projects/<p>/messages:send`; null for the legacy `/fcm/send`. */
  projectId: string | null;
  /** `message.token` (v1) or `to` (legacy), when the body carries a string there. */
  token: string | null;
  /** Request headers with lower-case names; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown | null;
  /** The status answered; 0 when nothing was answered (a `drop` or `stall` fault). */
  status: number;
  /** The answer body: parsed JSON, or the text when it is not JSON; null when nothing was answered. */
  response: unknown | null;
  /** The injected fault that shaped the answer, if any. */
  fault: 'status' | 'drop' | 'stall' | null;
}

export interface RecordedTokenRequest {
  at: number;
  headers: Record<string, string>;
  /** The form fields as sent. */
  form: Record<string, string>;
  /** The assertion's payload when it decoded (verified or not), else null. */
  claims: Record<string, unknown> | null;
  status: number;
  response: unknown;
}

/** A fault injected for one registration token; `times` defaults to Infinity. Faults queue in order. */
export type FcmFault =
  /**
   * Answer `status` with Google's error body: `errorStatus` is the FCM error code put in the
   * `FcmError` detail (UNREGISTERED, INVALID_ARGUMENT, QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL, ...);
   * `message` defaults to Google's wording for it; `retryAfterSeconds` adds `retry-after`.
   */
  | {
      status: number;
      errorStatus: string;
      message?: string;
      retryAfterSeconds?: number;
      times?: number;
      /** Every other send to the token, from the first (`times` ignored): a push retried once gets through. */
      alternate?: boolean;
    }
  /** Destroy the socket without answering. */
  | { drop: true; times?: number }
  /** Never answer (until the emulator closes). */
  | { stall: true; times?: number };

export interface FcmEmulator {
  readonly port: number;
  /** `https://<host>:<port>`. */
  readonly origin: string;
  /** `${origin}/token`: put it in a service account's `token_uri`. */
  readonly tokenUri: string;
  /** `${origin}/v1/projects/<projectId>/messages:send`. */
  sendUrl(projectId: string): string;
  /** `${origin}/fcm/send`, the retired legacy endpoint. */
  readonly legacyUrl: string;
  addServiceAccount(account: RegisteredServiceAccount): void;
  /** Every `messages:send` and `/fcm/send` request, in arrival order, with what was answered. */
  readonly requests: RecordedFcmRequest[];
  /** Every `POST /token`, in arrival order. */
  readonly tokenRequests: RecordedTokenRequest[];
  failToken(token: string, fault: FcmFault): void;
  clearFaults(): void;
  /** Forget every access token issued so far: the next send with one answers 401, as after a revocation. */
  revokeAccessTokens(): void;
  /** Resolves once `requests` holds at least `count` entries. Default timeout 5000 ms. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedFcmRequest[]>;
  /** Clears the records and the faults; service accounts and issued access tokens stay valid. */
  reset(): void;
  /** Closes the server, cutting stalled and idle connections. */
  close(): Promise<void>;
}
