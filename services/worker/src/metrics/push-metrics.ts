// Delivery metrics of push jobs: final results, push-service answers and latency, retries, end-to-end latency.
import { systemClock, type Clock, type Platform, type SendOutcome } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import { Counter, Histogram, type Registry } from 'prom-client';
import { CIRCUIT_OPEN_CODE } from '../policy/policy-results.js';
import { pushServiceReason } from './push-service-reason.js';

/** How a push job ended (one per accepted push): a label value of `pushwire_deliveries_total`. */
export type DeliveryResult =
  | 'delivered'
  | 'dead-token'
  | 'rejected'
  | 'expired'
  | 'superseded'
  | 'circuit-open'
  | 'failed';

/** Why a push went back to the queue: a label value of `pushwire_retries_total`. */
export type RetryCause = 'push-service' | 'circuit-open' | 'quota';

/** Seconds. Call wake-ups live 60 s; messages retry for ~34 min. */
const END_TO_END_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
/** Seconds; a send is bounded by its 10 s deadline. */
const SEND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface PushMetricsOptions {
  registry: Registry;
  /** For end-to-end latency (now − acceptedAt). Default the system clock. */
  clock?: Clock;
}

type Target = { appId: string; platform: Platform };

/** What the metrics observer counts; every method is cheap and never throws. */
export interface PushMetricsSink {
  sent(target: Target, outcome: SendOutcome, seconds: number): void;
  retried(target: Target, cause: RetryCause): void;
  finished(data: PushJobData, result: DeliveryResult): void;
}

/** The delivery metrics in the process's registry. */
export class PushMetrics implements PushMetricsSink {
  private readonly clock: Clock;
  private readonly deliveries: Counter<'app_id' | 'platform' | 'result'>;
  private readonly responses: Counter<'app_id' | 'platform' | 'code' | 'reason'>;
  private readonly sendSeconds: Histogram<'app_id' | 'platform'>;
  private readonly endToEnd: Histogram<'app_id' | 'platform' | 'result'>;
  private readonly retries: Counter<'app_id' | 'platform' | 'cause'>;

  constructor(options: PushMetricsOptions) {
    const registers = [options.registry];
    this.clock = options.clock ?? systemClock;
    this.deliveries = new Counter({
      name: 'pushwire_deliveries_total',
      help: 'Push jobs by final result (one per accepted push): delivered, dead-token, rejected, expired, superseded, circuit-open, failed (retries exhausted)',
      labelNames: ['app_id', 'platform', 'result'],
      registers,
    });
    this.responses = new Counter({
      name: 'pushwire_push_service_responses_total',
      help: "Answers of the push service per attempt, by Sylk's result code and the push service's reason (ok, Apple's reason, FCM's error code, no-answer)",
      labelNames: ['app_id', 'platform', 'code', 'reason'],
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'pushwire_push_service_request_duration_seconds',
      help: 'Time of one send to the push service (connection set-up, provider token and one resend included)',
      labelNames: ['app_id', 'platform'],
      buckets: SEND_BUCKETS,
      registers,
    });
    this.endToEnd = new Histogram({
      name: 'pushwire_push_end_to_end_seconds',
      help: 'From acceptance by ingest to the final result, by result',
      labelNames: ['app_id', 'platform', 'result'],
      buckets: END_TO_END_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'pushwire_retries_total',
      help: 'Pushes sent back to wait for another attempt, by cause: push-service (5xx, 429, no answer), circuit-open, quota (FCM QUOTA_EXCEEDED pause)',
      labelNames: ['app_id', 'platform', 'cause'],
      registers,
    });
  }

  /** One send's answer and duration. */
  sent(target: Target, outcome: SendOutcome, seconds: number): void {
    const labels = { app_id: target.appId, platform: target.platform };
    this.sendSeconds.observe(labels, seconds);
    this.responses.inc({
      ...labels,
      code: String(outcome.response.code),
      reason: pushServiceReason(target.platform, outcome),
    });
  }

  /** The job goes back to the queue for another attempt. */
  retried(target: Target, cause: RetryCause): void {
    this.retries.inc({ app_id: target.appId, platform: target.platform, cause });
  }

  /** The job's final result: counted once, with its end-to-end latency. */
  finished(data: PushJobData, result: DeliveryResult): void {
    const labels = { app_id: data.request.appId, platform: data.request.platform, result };
    this.deliveries.inc(labels);
    this.endToEnd.observe(labels, Math.max(0, this.clock.now() - data.acceptedAt) / 1000);
  }
}

/** The delivery result of a job settled with the push service's (or the circuit breaker's) outcome. */
export function deliveryResultOf(outcome: SendOutcome): DeliveryResult {
  switch (outcome.kind) {
    case 'delivered':
    case 'dead-token':
    case 'rejected':
      return outcome.kind;
    case 'retryable':
      // Retries exhausted: the last attempt was either held back by the open circuit or failed at the service.
      return isCircuitOpen(outcome) ? 'circuit-open' : 'failed';
  }
}

/** A retry's cause, from the outcome that caused it. */
export function retryCauseOf(outcome: SendOutcome): RetryCause {
  return isCircuitOpen(outcome) ? 'circuit-open' : 'push-service';
}

function isCircuitOpen(outcome: SendOutcome): boolean {
  // Only the breaker produces an outcome with no URL: a send always reports the push URL it tried.
  return (
    outcome.response.code === CIRCUIT_OPEN_CODE &&
    outcome.response.url === '' &&
    outcome.response.reason.startsWith('circuit open')
  );
}
