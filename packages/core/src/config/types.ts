// The typed configuration: Sylk's general.ini + applications.ini + Pushwire's own settings, validated once.
import type { Platform } from '../platform.js';
import type { AdminConfig } from './admin-config.js';
import type { CallersConfig } from './callers-config.js';

/** `[server]` of general.ini, with `--ip/--port/--debug` applied. */
export interface ServerConfig {
  host: string;
  port: number;
  /** PEM file holding certificate and key (Sylk's `tls_certificate`), or null for plain HTTP. */
  tlsCertificate: string | null;
  /** Sylk's inverted name: true = wait for the push service and answer its result (the default). */
  returnAsync: boolean;
  /** Normalised CIDRs (`10.0.0.1` → `10.0.0.1/32`); empty = allow all. */
  allowedHosts: string[];
  logToFile: boolean;
  logFile: string | null;
  debug: boolean;
  spoolDir: string;
}

export interface CassandraConfig {
  contactPoints: string[];
  keyspace: string;
  table: string;
  debug: boolean;
}

/** Remote HTTP log sinks of one app (`log_remote_urls`, `log_remote_key`, `log_remote_timeout`). */
export interface LogRemoteConfig {
  urls: string[];
  key: string | null;
  /** Default 2000 ms, as Sylk's effective timeout. */
  timeoutMs: number;
}

export type AppleAuth =
  | { kind: 'token'; keyFile: string; keyPem: string; keyId: string; teamId: string }
  | { kind: 'certificate'; certFile: string; certPem: string; keyFile: string; keyPem: string };

export type FirebaseAuth =
  | { kind: 'service-account'; file: string; serviceAccount: ServiceAccount }
  /** Google retired the legacy API: kept readable, warned about at start. */
  | { kind: 'legacy-key'; key: string };

export interface ServiceAccount {
  type: string;
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  token_uri: string;
  [key: string]: unknown;
}

interface AppConfigBase {
  /** Section name in applications.ini (a free-form label). */
  section: string;
  appId: string;
  /** Lower-cased `app_type` (sylk, linphone). */
  appType: string;
  logRemote: LogRemoteConfig;
  /** Extra trust anchor for this app's push service (Pushwire's `apple_ca`/`firebase_ca`), PEM. Null = system CAs. */
  caPem: string | null;
  /**
   * Pushwire's delivery policy for this app (`call_deadline`, `expiration_from_deadline`). The loader always
   * sets it; absent (a hand-built config) means `DEFAULT_APP_DELIVERY`.
   */
  delivery?: AppDeliveryPolicy;
}

/** Per-app delivery policy: Pushwire extensions to applications.ini (docs/decisions/0007-delivery-deadlines-and-retries.md). */
export interface AppDeliveryPolicy {
  /**
   * How long a call wake-up (`incoming_session`, `incoming_conference_request`) or a `cancel` is worth
   * delivering after ingest accepted it, ms. `call_deadline` in seconds; default 60000 (60 s).
   */
  callDeadlineMs: number;
  /**
   * True: a push with a deadline gets `apns-expiration` = the deadline (epoch seconds) and FCM `android.ttl`
   * = the remaining whole seconds. False (default): Sylk's literals ("120"/"10", "60s").
   */
  expirationFromDeadline: boolean;
}

export interface AppleAppConfig extends AppConfigBase {
  platform: 'apple';
  /** `apple_push_url`: a host name (port 443) or, as a Pushwire extension, `host:port`. */
  pushHost: string;
  pushPort: number;
  auth: AppleAuth;
  voip: boolean;
}

export interface FirebaseAppConfig extends AppConfigBase {
  platform: 'firebase';
  pushUrl: string;
  auth: FirebaseAuth;
}

/** Huawei Push Kit credentials (`huawei_authorization_file`): OAuth 2.0 client credentials of the Huawei app. */
export interface HuaweiAuth {
  kind: 'client-credentials';
  file: string;
  /** Huawei's numeric App ID (AppGallery Connect), the OAuth `client_id` and the `{appId}` of the send URL. */
  clientId: string;
  clientSecret: string;
}

export interface HuaweiAppConfig extends AppConfigBase {
  platform: 'huawei';
  /** `POST` target: `<huawei_push_url>/v1/<client id>/messages:send`. */
  pushUrl: string;
  /** OAuth 2.0 token endpoint (`huawei_token_url`). */
  tokenUrl: string;
  auth: HuaweiAuth;
}

/** A Web Push app: VAPID identity and the push services its subscriptions may point at. */
export interface WebPushAppConfig extends AppConfigBase {
  platform: 'webpush';
  auth: VapidAuth;
  /** `webpush_allowed_hosts`: host patterns (`*.` = any subdomain) an endpoint must match. Default: the public push services. */
  allowedHosts: readonly string[];
  /** `webpush_check_endpoint`: where `config check --live` sends its VAPID-signed probe. */
  checkEndpoint: string;
}

/** `vapid_subject` and the key file `web-push generate-vapid-keys --json` prints (base64url, P-256). */
export interface VapidAuth {
  kind: 'vapid';
  subject: string;
  file: string;
  publicKey: string;
  privateKey: string;
}

export type AppConfig = AppleAppConfig | FirebaseAppConfig | HuaweiAppConfig | WebPushAppConfig;

/** An app left out because of a per-app error (docs/decisions/0005-configuration-errors.md). */
export interface DisabledApp {
  section: string;
  appId: string | null;
  /** Lower-cased `app_type`, null when missing (Sylk names the app by it in its warning). */
  appType: string | null;
  /** Lower-cased `app_platform` as written (may be an unsupported value), null when missing. */
  platform: string | null;
  reason: string;
}

/** Pushwire's own settings (environment `REDIS_URL`, `PUSHWIRE_*`). */
export interface PushwireSettings {
  /** `REDIS_URL`: one server, `redis+sentinel://…/<name>` or `redis+cluster://…` (REDIS_CLUSTER_NODES folds in). */
  redisUrl: string;
  /**
   * `PUSHWIRE_REDIS_MIN_REPLICAS`: replicas that must acknowledge a push (Redis WAIT) before it is accepted;
   * on a Redis Cluster, at the primary of each slot the push wrote to. A failover then loses nothing accepted.
   * Default 0 (absent = 0).
   */
  redisMinReplicas?: number;
  /**
   * `PUSHWIRE_REDIS_CA` (then NODE_EXTRA_CA_CERTS): PEM CA files trusted for a `rediss://` Redis besides Node's
   * default roots. Empty/absent: Node's own trust (which includes NODE_EXTRA_CA_CERTS).
   */
  redisCaFiles?: readonly string[];
  /** Bounded wait of a sync answer (docs/decisions/0008-sync-answers.md), ms. Default 4000. */
  syncWaitMs: number;
  /** Base of Sylk's backoff 0.5·2^(n-1) s, ms. Default 500; tests scale it down. */
  retryBaseMs: number;
  /** Redis key prefix for queues and result channels. Default `pushwire`. */
  prefix: string;
  /** Largest accepted request body, bytes. Default 65536. */
  maxBodyBytes: number;
  /** Worker concurrency per app queue. Default 50. */
  workerConcurrency: number;
  /**
   * Admission control: ingest answers 503 instead of queueing once an app's queue holds this many waiting or
   * delayed pushes. 0 = unlimited. Default 100000 (absent = the default).
   */
  maxQueueDepth?: number;
  /**
   * Most devices one v2 account may register (`POST /v2/tokens/{account}`): a new one past it is refused
   * (409), so a v2 push fans out to at most this many. Default 50 (absent = the default).
   */
  maxDevicesPerAccount?: number;
  /** Consecutive transport failures / 5xx of one app that open its circuit breaker. Default 20 (absent = the default). */
  circuitFailureThreshold?: number;
  /** How long an open circuit breaker fails that app's pushes fast before one probe, ms. Default 30000 (absent = the default). */
  circuitCooldownMs?: number;
  /** Ingest's separate Prometheus port (`/metrics`), on the `[server] host`; 0 = any free port. Null/absent: none. */
  metricsPort?: number | null;
  /** Also serve `/metrics` on ingest's main (Sylk API) port. Default false: the API port shows no metrics. */
  metricsOnMainPort?: boolean;
  /** The worker's HTTP port (`/metrics`, `/healthz`, `/readyz`), on the `[server] host`; 0 = any free port. Null/absent: off. */
  workerHttpPort?: number | null;
  /** Ingest: time a client has to send its request headers, ms (`PUSHWIRE_HEADERS_TIMEOUT_MS`). Default 10000 (absent = the default). */
  headersTimeoutMs?: number;
  /** Ingest: time a client has to send its whole request, ms (`PUSHWIRE_REQUEST_TIMEOUT_MS`). Default the sync wait + 10000. */
  requestTimeoutMs?: number;
  /** Ingest: how long an idle keep-alive connection stays open, ms (`PUSHWIRE_KEEPALIVE_TIMEOUT_MS`). Default 5000. */
  keepAliveTimeoutMs?: number;
  /** Ingest: open connections at most; more are closed at once (`PUSHWIRE_MAX_CONNECTIONS`). 0 = no cap. Default 10000. */
  maxConnections?: number;
  /** `PUSHWIRE_IDEMPOTENCY_WINDOW`: how long an `Idempotency-Key` is remembered, ms. Default 86400000 (24 h; absent = the default). */
  idempotencyWindowMs?: number;
  /** `PUSHWIRE_IDEMPOTENCY_MAX_KEYS`: most keys remembered at once; new keys past it get 503. Default 100000 (absent = the default). */
  idempotencyMaxKeys?: number;
}

/** Where the configuration was read from (for reload watching and `pushwire config check`). */
export interface ConfigFiles {
  /** Null when the config dir has no general.ini (Sylk then runs on defaults). */
  generalIni: string | null;
  applicationsIni: string;
  credentialsDir: string;
}

export interface PushwireConfig {
  configDir: string | null;
  /** Null when started without a config dir. */
  files: ConfigFiles | null;
  server: ServerConfig;
  apps: AppConfig[];
  disabledApps: DisabledApp[];
  cassandra: CassandraConfig | null;
  pushwire: PushwireSettings;
  /**
   * general.ini [admin]: audit board and call-history credentials, retention, content redaction. The loader
   * always sets it; absent (a hand-built config) means `DEFAULT_ADMIN_CONFIG` (board off).
   */
  admin?: AdminConfig;
  /**
   * general.ini [callers], [caller:<name>] and [server] trusted_proxies: API keys, their apps and rates, and the
   * proxies whose X-Forwarded-For counts. The loader always sets it; absent means `DEFAULT_CALLERS_CONFIG`.
   */
  callers?: CallersConfig;
  /** Non-fatal notes for the start log (legacy FCM key, ...). */
  warnings: string[];
}

export function appKey(appId: string, platform: Platform): string {
  return `${appId}/${platform}`;
}
