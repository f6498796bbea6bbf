// Everything the HTTP layer needs, injected so tests can build the app without a config directory.
import type { Platform, PushResult } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import type { IdempotencyStore, PushJobData, ResultListenerState, ResultWaiter } from '@pushwire/queue';
import type { RateLimiter } from '@pushwire/redis';
import type { TokenStorage } from '@pushwire/storage';
import type { Context } from 'hono';
import type { AuditDeps } from './admin/audit-deps.js';
import type { AcceptedHistory } from './admin/record-accepted.js';
import type { IngestSettingsHolder } from './ingest-settings.js';
import type { IngestHttpMetrics } from './metrics/ingest-observability.js';

/** Sync answers: this instance's result listener (result-listener.ts). */
export interface IngestResults {
  /** Named in the jobs a caller waits for, so the worker publishes their results to this instance. */
  readonly instanceId: string;
  /** Registers a waiter; call before the job is queued. */
  wait(jobId: string, jobKey: string): ResultWaiter<PushResult>;
  state(): ResultListenerState;
  /** The subscriber's last error while it is not subscribed. */
  error(): string | null;
}

export interface IngestDeps {
  logger: Logger;
  /** What a configuration reload changes; each request reads one snapshot of it (ingest-settings.ts). */
  settings: IngestSettingsHolder;
  /** Bounded wait for a sync answer, ms. */
  syncWaitMs: number;
  maxBodyBytes: number;
  /** v2 device registrations. */
  storage: TokenStorage;
  /** `PUSHWIRE_MAX_DEVICES_PER_ACCOUNT`: a new device past it is refused (409). Default 50. */
  maxDevicesPerAccount?: number;
  /** `dependsOn`: keys written for this push before it (a cancel's markers); see PushProducer.enqueue. */
  producer: { enqueue(jobId: string, data: PushJobData, dependsOn?: readonly string[]): Promise<void> };
  results: IngestResults;
  /** Idempotency-Key records (what a keyed request answered), bounded by their window and a global key count. */
  idempotency: Pick<IdempotencyStore, 'claim' | 'accepted' | 'complete' | 'release' | 'maxKeys'>;
  /** The Redis key of a push job's hash (its queue's prefix, name and the job id), where its result is kept. */
  jobKey(appId: string, platform: Platform, jobId: string): string;
  /** The TCP peer's address (X-Forwarded-For is resolved from it by callers/caller-gate.ts). */
  clientAddress(c: Context): string | undefined;
  /** Counts requests against each API key's rate, shared by all instances. Absent: key rates are not enforced. */
  rateLimiter?: Pick<RateLimiter, 'take'>;
  /** False while shutting down: new pushes get 503. */
  accepting(): boolean;
  /** Redis reachable? For /readyz. */
  redisReady(): boolean;
  /** The per-call history: ingest records every job Redis acknowledged. Absent: nothing recorded. */
  callHistory?: AcceptedHistory;
  /** Audit endpoints: Bull Board under /admin and GET /v1/calls/{call-id}. Absent: both answer 404. */
  audit?: AuditDeps;
  /** Request metrics, and `/metrics` on this port when configured. Absent: nothing counted. */
  metrics?: IngestHttpMetrics;
}
