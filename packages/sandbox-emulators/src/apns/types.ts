// Public shapes of the APNs emulator: its options, its handle, what it records and the faults it injects.
import type { Clock } from '@pushwire/core';
import type { ApnsConnection } from './session-registry.js';

export type { ApnsConnection } from './session-registry.js';

/** An ES256 signing key registered with the emulator, as Apple holds the public half of a `.p8` key. */
export interface ApnsSigningKey {
  /** The 10-character Team ID the key belongs to; the JWT `iss` must equal it. */
  teamId: string;
  /** The Key ID; the JWT header `kid` names it. */
  keyId: string;
  /** The P-256 public key in PEM (SPKI). */
  publicKeyPem: string;
}

export interface ApnsEmulatorOptions {
  /** Server certificate and key (e.g. `createTestCa().issueServer()`). */
  tls: { cert: string; key: string };
  /**
   * CA (PEM) that signs accepted client certificates (certificate auth). Default: none, so no client
   * certificate is valid.
   */
  clientCa?: string;
  /** Time source for JWT age and the token-update limit. Default: `systemClock`. */
  clock?: Clock;
  /** Token-auth signing keys. Default: none (add more with `addKey`). */
  keys?: ApnsSigningKey[];
  /** Address to listen on. Default `127.0.0.1`; the port is always a free one. */
  host?: string;
  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS announced to new sessions. Default 1000 (what APNs announces to an
   * authenticated connection).
   */
  maxConcurrentStreams?: number;
}

/** How the request authenticated, as far as the emulator could tell. */
export type ApnsRequestAuth =
  /** A bearer JWT whose header and payload decoded; the fields are as claimed, verified or not. */
  | { kind: 'token'; jwt: string; teamId: string; keyId: string; iat: number }
  /** A client certificate that chains to `clientCa`; `uid` is the certificate's UID (the bundle id). */
  | { kind: 'certificate'; uid: string | null; subject: string }
  | { kind: 'none' };

export interface RecordedApnsRequest {
  /** `clock.now()` when the request had fully arrived (ms). */
  at: number;
  method: string;
  path: string;
  /** The device token from `/3/device/<token>`, or null when the path has none. */
  token: string | null;
  /** Request headers without pseudo-headers; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown | null;
  auth: ApnsRequestAuth;
  /** The status answered; 0 when nothing was answered (a `drop` or `stall` fault). */
  status: number;
  /** Apple's reason string; null on 200 and when nothing was answered. */
  reason: string | null;
  /** The `apns-id` answered (the request's own when it was a valid UUID, else a new one). */
  apnsId: string;
  /** True when the push was accepted (status 200). */
  delivered: boolean;
  /** The id of the HTTP/2 connection it came on (see `ApnsEmulator.connections()`); 0 if that was already gone. */
  connection: number;
}

/** A fault injected for one device token; `times` defaults to Infinity, then normal behaviour resumes. */
export type ApnsFault =
  /** Answer this status and reason (410 adds `timestamp`; 429 adds `retry-after` when given). */
  | {
      status: number;
      reason: string;
      retryAfterSeconds?: number;
      times?: number;
      /** Every other request for the token, from the first (`times` ignored): a push retried once gets through. */
      alternate?: boolean;
    }
  /** Destroy the connection's socket without answering (no GOAWAY, no RST_STREAM). */
  | { drop: true; times?: number }
  /** Never answer (until the emulator closes or `releaseStalled()`). */
  | { stall: true; times?: number };

export interface ApnsEmulator {
  readonly port: number;
  /** `https://<host>:<port>`. */
  readonly origin: string;
  /** Every request, in the order they fully arrived. */
  readonly requests: RecordedApnsRequest[];
  /** Distinct provider tokens signed by this key and seen, oldest first (rejected ones included). */
  providerTokens(teamId: string, keyId: string): string[];
  addKey(key: ApnsSigningKey): void;
  /** Queue a fault for a device token; faults queued for the same token apply one after the other. */
  failToken(token: string, fault: ApnsFault): void;
  clearFaults(): void;
  /** Resolves once `requests.length >= count`; rejects after `timeoutMs` (default 5000 ms). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedApnsRequest[]>;
  /** HTTP/2 sessions (connections) open now. */
  sessions(): number;
  /** HTTP/2 sessions ever opened. */
  totalSessions(): number;
  /** Every HTTP/2 connection opened so far, with its client port, oldest first. */
  connections(): ApnsConnection[];
  /** Send GOAWAY (NO_ERROR, `{"reason":"Shutdown"}`) on every session and close each once its streams end. */
  goaway(): void;
  /** SETTINGS_MAX_CONCURRENT_STREAMS for current and future sessions. */
  setMaxConcurrentStreams(n: number): void;
  /**
   * Answers every stream a `stall` fault is holding, as it would have been answered without the fault
   * (their records are updated to match); returns how many were released.
   */
  releaseStalled(): number;
  /** Forget requests, faults and provider-token history; keys stay. */
  reset(): void;
  /** Destroy every connection and stop listening. */
  close(): Promise<void>;
}
