// Everything the HTTP layer needs, injected so tests can build the app without a config directory.
import type { AppTypeRules, Platform, PushResult } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import type { IngestPolicy, PushJobData } from '@pushwire/queue';
import type { TokenStorage } from '@pushwire/storage';
import type { Context } from 'hono';
import type { AccessList } from './access-list.js';

export interface ResultWaiter {
  result(timeoutMs: number): Promise<PushResult | null>;
  cancel(): void;
}

export interface IngestDeps {
  logger: Logger;
  /** Sylk's `return_async`: true = wait for the push service (default). */
  returnAsync: boolean;
  /** Bounded wait for a sync answer, ms. */
  syncWaitMs: number;
  maxBodyBytes: number;
  accessList: AccessList;
  lookupApp(appId: string, platform: Platform): AppTypeRules | undefined;
  /** v2 device registrations. */
  storage: TokenStorage;
  producer: { enqueue(jobId: string, data: PushJobData): Promise<void> };
  results: { subscribe(jobId: string): Promise<ResultWaiter> };
  clientAddress(c: Context): string | undefined;
  /** Apps left out by config errors, for /readyz. */
  disabledApps: readonly { section: string; appId: string | null; platform: string | null; reason: string }[];
  /** False while shutting down: new pushes get 503. */
  accepting(): boolean;
  /** Redis reachable? For /readyz. */
  redisReady(): boolean;
  /**
   * Delivery policy (`createIngestPolicy`): call deadlines stamped on jobs, cancel markers, admission control.
   * Absent: none of them at ingest (workers still apply each app's call deadline).
   */
  policy?: IngestPolicy;
}
