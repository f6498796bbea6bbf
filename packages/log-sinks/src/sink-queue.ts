// Sink queue layout and job options: one queue per (app, platform), one job per (record, sink). A job names its
// sink, never its URL: the URL (which may carry credentials) stays in the configuration.
import type { LogRemoteConfig, Platform } from '@pushwire/core';
import type { JobsOptions } from 'bullmq';
import type { SinkPayload } from './sink-payload.js';

/** The part of an app's config the sinks need (an `AppConfig` fits). */
export interface LogSinkApp {
  appId: string;
  platform: Platform;
  logRemote: LogRemoteConfig;
}

/** Which configured URL a job is for: the worker looks it up in its current configuration when it sends. */
export interface SinkRef {
  appId: string;
  platform: Platform;
  /** Position in the app's `log_remote_urls`. */
  index: number;
  /**
   * The URL with its credentials redacted (`displayUrl`): it tells the sink apart on the board and finds it again
   * when a reload moved it in the list.
   */
  shown: string;
}

export interface SinkJobData {
  /** Sylk's correlation id, for log lines. */
  requestId: string;
  /** One sink per job: Sylk's late-bound lambda could post every record to the last URL only. */
  sink: SinkRef;
  /** Already redacted. */
  payload: SinkPayload;
}

/** What releases before the sink reference queued: the URL itself. Still read, never written. */
export interface LegacySinkJobData {
  requestId: string;
  url: string;
  payload: SinkPayload;
}

export function sinkQueueName(appId: string, platform: Platform): string {
  // BullMQ joins prefix and queue name with ':', so none may appear in the name.
  return `sink.${appId.replaceAll(':', '_')}.${platform}`;
}

/** Name of the backoff the sink worker computes (its `retryBaseMs`, capped), so the worker owns the policy. */
export const SINK_BACKOFF_TYPE = 'log-sink';

/**
 * Retries a job may ever get. The worker's `attempts` is the real bound (it fails the job itself on its
 * last attempt); this ceiling only has to be above any configured value.
 */
export const SINK_JOB_ATTEMPTS_CEILING = 1000;

export function sinkJobOptions(): JobsOptions {
  return {
    attempts: SINK_JOB_ATTEMPTS_CEILING,
    backoff: { type: SINK_BACKOFF_TYPE },
    // Delivered records are of no further use; failed ones stay for inspection on the board for a week.
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
  };
}

/** Jobs are read back from Redis: anything not shaped like ours (or an older release's) is failed at once, never retried. */
export function isSinkJobData(value: unknown): value is SinkJobData | LegacySinkJobData {
  if (!isObject(value)) return false;
  const { requestId, url, sink, payload } = value;
  if (typeof requestId !== 'string' || !isObject(payload)) return false;
  const named =
    isObject(sink) &&
    typeof sink.appId === 'string' &&
    typeof sink.platform === 'string' &&
    Number.isInteger(sink.index) &&
    typeof sink.shown === 'string';
  if (!named && !(typeof url === 'string' && URL.canParse(url))) return false;
  const { request, response } = payload;
  return (
    isObject(request) &&
    isObject(request.incoming_body) &&
    isObject(request.outgoing_headers) &&
    typeof request.outgoing_body === 'string' &&
    isObject(response)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
