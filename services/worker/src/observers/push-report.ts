// What one run of a push job comes to, recorded once: the attempt it made (if it got that far) and how it ends.
import type { OutgoingPush, PushResult } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import type { Job } from 'bullmq';
import type { AttemptOutcome } from '../history-hooks.js';
import type { DeliveryResult, RetryCause } from '../metrics/push-metrics.js';

export interface AttemptReport extends AttemptOutcome {
  /** What went to the push service and how long it took; null when the open circuit held the push back. */
  sent: { push: OutgoingPush; seconds: number } | null;
}

export type PushEnd =
  /** Back to the queue for another attempt (or a quota pause). */
  | { kind: 'retry'; cause: RetryCause }
  /** The final result, for the caller. */
  | { kind: 'settled'; result: PushResult; delivery: DeliveryResult };

export interface PushReport {
  job: Job<PushJobData>;
  attempt: AttemptReport | null;
  end: PushEnd;
}
