// The collaborators every push report is handed to, each required (noop-observers.ts when switched off), and
// the one place a report is recorded.
import { errorMessage, type Platform, type PushResult } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { toIncomingBody, type SinkRecordInput } from '@pushwire/log-sinks';
import type { FinalOutcome, PushJobData, ResultRef } from '@pushwire/queue';
import type { Job } from 'bullmq';
import { recordAttempt, recordResult, recordSettled, type WorkerCallHistory } from '../history-hooks.js';
import type { PushMetricsSink } from '../metrics/push-metrics.js';
import type { PushReport } from './push-report.js';

/** Remote HTTP log sinks (`log_remote_urls`): every push service answer is handed over, never awaited on a sink. */
export interface LogSinks {
  publish(input: SinkRecordInput): Promise<void>;
  hasSinks(appId: string, platform: Platform): boolean;
}

/** Where a waiting sync caller hears the final result. */
export interface ResultPublisher {
  publish(ref: ResultRef, result: PushResult, replyTo?: string): Promise<unknown>;
}

export interface PushObservers {
  /** The per-call history (GET /v1/calls/{call-id}): each attempt and the result. */
  history: WorkerCallHistory;
  /** Delivery metrics (results, push-service answers, retries, latency). */
  metrics: PushMetricsSink;
  sinks: LogSinks;
  results: ResultPublisher;
}

/** Records a report with every observer: counted, logged remotely, then written to the history and published together. */
export async function recordReport(report: PushReport, observers: PushObservers, log: Logger): Promise<void> {
  const { job, attempt, end } = report;
  const { request } = job.data;
  if (attempt?.sent) {
    observers.metrics.sent(request, attempt.outcome, attempt.sent.seconds);
    await publishToSinks(report, observers.sinks, log);
  }
  if (end.kind === 'retry') {
    if (attempt) await recordAttempt(observers.history, job, attempt.outcome, attempt.held);
    observers.metrics.retried(request, end.cause);
    return;
  }
  observers.metrics.finished(job.data, end.delivery);
  const final: FinalOutcome = end.delivery === 'circuit-open' ? 'failed' : end.delivery;
  // The history write is issued first and both go out together (one round trip on an auto-pipelined
  // connection): a caller reading the call's history once answered already finds how the push ended.
  const recorded = attempt
    ? recordSettled(observers.history, job, attempt, end.result, final)
    : recordResult(observers.history, job, end.result, final);
  await Promise.all([recorded, observers.results.publish(resultRefOf(job), end.result, job.data.replyTo)]);
}

/** Sylk logs every push service answer remotely (each attempt's, as its log_results does); a sink never delays the push. */
async function publishToSinks({ job, attempt }: PushReport, sinks: LogSinks, log: Logger): Promise<void> {
  const { request, requestId } = job.data;
  // Most apps have no sink: build and serialise nothing for them.
  if (!attempt?.sent || !sinks.hasSinks(request.appId, request.platform)) return;
  const { push } = attempt.sent;
  const { response } = attempt.outcome;
  try {
    await sinks.publish({
      appId: request.appId,
      platform: request.platform,
      requestId,
      incomingBody: toIncomingBody(request),
      outgoingHeaders: push.headers,
      outgoingBody: JSON.stringify(push.payload),
      response: { code: response.code, description: response.reason, push_url: response.url },
    });
  } catch (error) {
    // Redis refused the record: the push itself must not fail or repeat because of a log sink.
    log.error({ err: errorMessage(error) }, `remote log record of ${requestId} not queued`);
  }
}

/** The job's hash, where its result is stored for as long as BullMQ keeps the job. */
function resultRefOf(job: Job<PushJobData>): ResultRef {
  return { jobId: job.id!, jobKey: `${job.queueQualifiedName}:${job.id}` };
}
