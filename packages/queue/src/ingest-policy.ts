// What ingest applies of the delivery policy when it accepts a push: the call deadline stamped on the job,
// the cancel marker set before a cancel is queued, and admission control.
import { appKey, DEFAULT_APP_DELIVERY, type AppConfig, type Platform } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { AdmissionControl, type Admission } from './admission-control.js';
import { CancelMarks, type CallScope } from './cancel-marks.js';
import { cancelMarkTtlMs } from './delivery-policy.js';

export interface IngestPolicy {
  /** The app's `call_deadline`, ms (60000 for an app without one). */
  callDeadlineMs(appId: string, platform: Platform): number;
  /** How long a cancel marker of this app-id lives, ms (covers its longest call deadline on any platform). */
  cancelMarkTtlMs(appId: string): number;
  /** Marks calls cancelled at `cancelledAt` (the cancel's acceptance, ms); resolves with the keys set once Redis acknowledged. */
  markCancelled(scopes: readonly CallScope[], ttlMs: number, cancelledAt: number): Promise<readonly string[]>;
  /** Admission control for `count` more pushes (default 1) on one app's queue. */
  admit(appId: string, platform: Platform, count?: number): Promise<Admission>;
  /** Counts pushes just queued for admission control. */
  noteQueued(appId: string, platform: Platform): void;
  close(): Promise<void>;
}

export interface IngestPolicyOptions {
  /** Ingest's fail-fast producer connection. */
  redis: Redis;
  /** Redis key prefix (queues and markers). */
  prefix: string;
  /** The configured apps (their `delivery` settings). */
  apps: readonly AppConfig[];
  /** `PUSHWIRE_MAX_QUEUE_DEPTH`: 0 = unlimited. Default 100000. */
  maxQueueDepth?: number;
  /** Redis Cluster: queues have a hash tag of their own. Default false. */
  cluster?: boolean;
}

export function createIngestPolicy(options: IngestPolicyOptions): IngestPolicy {
  const deadlines = new Map<string, number>();
  const longestByAppId = new Map<string, number>();
  for (const app of options.apps) {
    const ms = (app.delivery ?? DEFAULT_APP_DELIVERY).callDeadlineMs;
    deadlines.set(appKey(app.appId, app.platform), ms);
    longestByAppId.set(app.appId, Math.max(ms, longestByAppId.get(app.appId) ?? 0));
  }
  const marks = new CancelMarks(options.redis, { prefix: options.prefix });
  const admission = new AdmissionControl({
    redis: options.redis,
    prefix: options.prefix,
    maxDepth: options.maxQueueDepth ?? 100_000,
    cluster: options.cluster ?? false,
  });
  return {
    callDeadlineMs: (appId, platform) => deadlines.get(appKey(appId, platform)) ?? DEFAULT_APP_DELIVERY.callDeadlineMs,
    cancelMarkTtlMs: (appId) => cancelMarkTtlMs(longestByAppId.get(appId) ?? DEFAULT_APP_DELIVERY.callDeadlineMs),
    markCancelled: (scopes, ttlMs, cancelledAt) => marks.mark(scopes, ttlMs, cancelledAt),
    admit: (appId, platform, count) => admission.check(appId, platform, count),
    noteQueued: (appId, platform) => admission.noteQueued(appId, platform),
    close: () => admission.close(),
  };
}
