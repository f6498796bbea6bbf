// Public shapes of the Huawei Push Kit emulator: options, handle, records and injectable faults.
import type { Clock } from '@pushwire/core';

export interface HuaweiEmulatorOptions {
  /** Server certificate and key (e.g. `createTestCa().issueServer()`). */
  tls: { cert: string; key: string };
  /** Time source for access-token expiry. Default `systemClock`. */
  clock?: Clock;
  /** `expires_in` of the access tokens it grants, seconds. Default 3600, as Huawei. */
  tokenLifetimeS?: number;
}

/**
 * What a send to one device token answers. By convention a token `code-<result code>` (e.g. `code-80300007`)
 * answers that result code and `http-<status>` (e.g. `http-503`) that bare HTTP status, every time.
 */
export type HuaweiFault =
  /** A Push Kit result code, with the HTTP status Huawei sends it with. */
  | { code: string; times?: number }
  /** A bare HTTP status (503 = Huawei's traffic control), optionally with Retry-After. */
  | { http: number; retryAfterSeconds?: number; times?: number }
  | { drop: true; times?: number }
  | { stall: true; times?: number };

export interface RecordedHuaweiSend {
  at: number;
  /** The `{appId}` of the path. */
  appId: string;
  headers: Record<string, string>;
  /** The body parsed as JSON, or null. */
  json: unknown;
  /** The first token of `message.token`. */
  token: string | null;
  /** `message.data` parsed back from its JSON string, when it is one. */
  data: Record<string, unknown> | null;
  validateOnly: boolean;
  status: number;
  /** The `code` answered; null when nothing was answered (drop, stall). */
  code: string | null;
}

export interface RecordedHuaweiGrant {
  at: number;
  form: Record<string, string>;
  status: number;
}

export interface HuaweiEmulator {
  readonly port: number;
  /** `https://127.0.0.1:<port>`: the `huawei_push_url` (the send path is added to it). */
  readonly origin: string;
  /** `${origin}/oauth2/v3/token`. */
  readonly tokenUrl: string;
  sendUrl(appId: string): string;
  readonly sends: RecordedHuaweiSend[];
  readonly grants: RecordedHuaweiGrant[];
  /** Registers an app (its numeric App ID and secret) that may obtain tokens and send. */
  addApp(app: { clientId: string; clientSecret: string }): void;
  failToken(token: string, fault: HuaweiFault): void;
  /** Answers every send with `fault` (an outage) until called with null. */
  failAll(fault: HuaweiFault | null): void;
  /** Every access token granted so far now answers 80200003 (expired). */
  expireAccessTokens(): void;
  waitForSends(count: number, timeoutMs?: number): Promise<RecordedHuaweiSend[]>;
  reset(): void;
  close(): Promise<void>;
}
