// Posts queued sink records: one BullMQ worker per app queue, retried with capped exponential backoff.
import { appKey, queuePrefix, errorMessage } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Agent } from 'undici';
import { postRecord } from './post-record.js';
import { redactSinkPayload } from './redact-record.js';
import { logRemoteResponse } from './remote-response-log.js';
import { resolveSinkUrl, shownSink } from './resolve-sink.js';
import {
  isSinkJobData,
  SINK_JOB_ATTEMPTS_CEILING,
  sinkQueueName,
  type LogSinkApp,
  type SinkJobData,
} from './sink-queue.js';

/** Sylk's effective `log_remote_timeout`, for an app config that carries none (ms). */
const DEFAULT_TIMEOUT_MS = 2000;

/** Where the workers' Redis connections come from: a URL, or a factory (one call per app queue). */
export type LogSinkRedisSource =
  | { redisUrl: string; createConnection?: undefined }
  | { createConnection: () => Redis; redisUrl?: undefined };

export type LogSinkWorkerOptions = LogSinkRedisSource & {
  /** Redis key prefix of the sink queues, as the publisher's. Default `pushwire`. */
  prefix?: string;
  /** Redis Cluster, as the publisher's. Default false. */
  cluster?: boolean;
  logger: Logger;
  /**
   * Apps whose sink queues to consume; apps without URLs are skipped. Each job's URL, timeout and key are read
   * from here when it is sent (the current configuration: a reload starts a new worker).
   */
  apps: readonly LogSinkApp[];
  /** Records posted at once per app queue. Default 10 (Sylk's thread pool). */
  concurrency?: number;
  /** First retry delay, ms; doubles per attempt. Default 1000. */
  retryBaseMs?: number;
  /** Longest retry delay, ms. Default 300000 (5 min), so a sink back from an outage is served within minutes. */
  maxRetryDelayMs?: number;
  /** Posts per record and URL before the job fails and is kept for inspection. Default 20. */
  attempts?: number;
  /**
   * Told of every failed post (metrics): `final` when the record was given up. Never told the URL, which
   * may carry a key. Default: nobody.
   */
  onDeliveryFailure?: (failure: { appId: string; platform: LogSinkApp['platform']; final: boolean }) => void;
};

export interface RunningLogSinkWorker {
  /** Lets in-flight posts finish (each bounded by its timeout), then closes connections. Idempotent. */
  close(): Promise<void>;
}

/** A sink answered non-2xx or not at all: BullMQ retries the job. */
export class LogSinkDeliveryError extends Error {
  constructor(
    /** The sink's URL with its credentials redacted. */
    readonly sink: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'LogSinkDeliveryError';
  }
}

export async function startLogSinkWorker(options: LogSinkWorkerOptions): Promise<RunningLogSinkWorker> {
  const concurrency = options.concurrency ?? 10;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 300_000;
  const attempts = options.attempts ?? 20;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!(retryBaseMs >= 0) || !(maxRetryDelayMs >= 0))
    throw new RangeError('retryBaseMs and maxRetryDelayMs must be >= 0');
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > SINK_JOB_ATTEMPTS_CEILING) {
    throw new RangeError(`attempts must be an integer from 1 to ${SINK_JOB_ATTEMPTS_CEILING}, got ${attempts}`);
  }

  const { logger } = options;
  const connect =
    options.createConnection ??
    (() => new Redis(options.redisUrl, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) }));
  const dispatcher = new Agent({ connections: concurrency });
  const apps = new Map(
    options.apps.filter((a) => a.logRemote.urls.length > 0).map((a) => [appKey(a.appId, a.platform), a]),
  );

  const running: { worker: Worker<SinkJobData>; connection: Redis }[] = [];
  for (const app of apps.values()) {
    const connection = connect();
    const name = sinkQueueName(app.appId, app.platform);
    const worker = new Worker<SinkJobData>(name, (job) => deliver(job, app), {
      connection,
      prefix: queuePrefix(options.prefix ?? 'pushwire', name, options.cluster ?? false),
      concurrency,
      // A killed process's records come back to another worker instead of failing.
      maxStalledCount: 100,
      settings: {
        backoffStrategy: (attemptsMade) => Math.min(retryBaseMs * 2 ** Math.max(attemptsMade - 1, 0), maxRetryDelayMs),
      },
    });
    worker.on('error', (err) => logger.warn({ err: err.message, queue: worker.name }, 'log sink worker error'));
    running.push({ worker, connection });
  }
  await Promise.all(running.map(({ worker }) => worker.waitUntilReady()));
  if (running.length > 0)
    logger.info(
      { queues: running.map(({ worker }) => worker.name) },
      `log sinks: consuming ${running.length} queue(s)`,
    );

  async function deliver(job: Job<SinkJobData>, app: LogSinkApp): Promise<{ status: number }> {
    if (!isSinkJobData(job.data)) {
      logger.error({ job_id: job.id, queue: job.queueName }, `log remote: job ${job.id} is not a sink record, dropped`);
      throw new UnrecoverableError('not a sink record');
    }
    const { requestId } = job.data;
    const shownUrl = shownSink(job.data);
    const attempt = job.attemptsMade + 1;
    const log = logger.child({ request_id: requestId, url: shownUrl, job_id: job.id, attempt });
    const url = resolveSinkUrl(app, job.data);
    if (url === null) {
      log.warn(
        `log remote for ${requestId}: ${shownUrl} is no longer in log_remote_urls of ${app.appId} (${app.platform}): record dropped`,
      );
      throw new UnrecoverableError(`sink no longer configured: ${shownUrl}`);
    }
    const timeoutMs = app.logRemote.timeoutMs > 0 ? app.logRemote.timeoutMs : DEFAULT_TIMEOUT_MS;

    log.info(`log remote request ${requestId} to ${shownUrl}`);
    let failure: string;
    try {
      // Redacted again: a job written by anything else (an older release, a hand-made job) is not trusted either.
      const body = JSON.stringify(redactSinkPayload(job.data.payload));
      const response = await postRecord(url, body, { timeoutMs, dispatcher });
      logRemoteResponse(log, { requestId, url: shownUrl, key: app.logRemote.key }, response);
      if (response.status >= 200 && response.status < 300) return { status: response.status };
      failure = `${shownUrl} answered ${response.status}`;
    } catch (err) {
      failure = errorMessage(err);
      log.error(`log remote for ${requestId}: ${failure}`);
    }
    options.onDeliveryFailure?.({ appId: app.appId, platform: app.platform, final: attempt >= attempts });
    if (attempt >= attempts) {
      log.error(
        `log remote for ${requestId} to ${shownUrl} gave up after ${attempt} attempt(s): ${failure}; the record stays in the failed jobs of ${job.queueName}`,
      );
      throw new UnrecoverableError(failure);
    }
    log.warn(
      `log remote for ${requestId} to ${shownUrl} failed (attempt ${attempt} of ${attempts}): ${failure}; will retry`,
    );
    throw new LogSinkDeliveryError(shownUrl, failure);
  }

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        await Promise.all(running.map(({ worker }) => worker.close()));
        for (const { connection } of running) connection.disconnect();
        await dispatcher.close();
      })();
      return closing;
    },
  };
}
