// Used by push workers: turns a push result into one sink job per configured URL (naming the sink, not the URL).
// One Redis write, never a sink wait.
import { appKey, queuePrefix, systemClock, type Clock, type Platform, errorMessage } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { displayUrl } from './post-record.js';
import { redactSinkPayload } from './redact-record.js';
import { discoverServerIp } from './server-ip.js';
import { buildSinkPayload, type SinkRecordInput } from './sink-payload.js';
import { sinkJobOptions, sinkQueueName, type LogSinkApp, type SinkJobData } from './sink-queue.js';

export interface LogSinkPublisherOptions {
  /** Connection the queues share; the publisher never closes it. A fail-fast (producer) connection suits. */
  redis: Redis;
  /** Redis key prefix of the sink queues. Default `pushwire`. */
  prefix?: string;
  /** Redis Cluster: each sink queue has a hash tag of its own (`queuePrefix`). Default false. */
  cluster?: boolean;
  /** Apps and their `log_remote_*` settings; apps without URLs publish nothing. */
  apps: readonly LogSinkApp[];
  /** Stamps each record (`timestamp`). Default: the system clock. */
  clock?: Clock;
  /** Sylk's `server_ip`. Default: the local address routing to 1.2.3.4, found once; 127.0.0.1 without a route. */
  serverIp?: string;
  /** Longest wait for Redis to take a record's jobs, ms. Default 2000. */
  addTimeoutMs?: number;
  /** Receives queue connection errors at warn. Default: none (publish() rejects on them anyway). */
  logger?: Logger;
}

/** publish() could not hand the record to Redis; the caller logs it (the push itself is unaffected). */
export class LogSinkPublishError extends Error {
  constructor(
    readonly requestId: string,
    reason: string,
  ) {
    super(`log sink record for ${requestId} not queued: ${reason}`);
    this.name = 'LogSinkPublishError';
  }
}

export class LogSinkPublisher {
  private readonly apps: ReadonlyMap<string, LogSinkApp>;
  private readonly queues = new Map<string, Queue<SinkJobData>>();
  private readonly serverIp: Promise<string>;
  private readonly clock: Clock;
  private readonly prefix: string;
  private readonly addTimeoutMs: number;
  private closed = false;

  constructor(private readonly options: LogSinkPublisherOptions) {
    this.apps = new Map(options.apps.map((app) => [appKey(app.appId, app.platform), app]));
    // Found once, up front, so the first publish does not pay for it.
    this.serverIp = options.serverIp !== undefined ? Promise.resolve(options.serverIp) : discoverServerIp();
    this.clock = options.clock ?? systemClock;
    this.prefix = options.prefix ?? 'pushwire';
    this.addTimeoutMs = options.addTimeoutMs ?? 2000;
  }

  /** Whether the app has any sink URL: a caller skips building records nobody will receive. */
  hasSinks(appId: string, platform: Platform): boolean {
    return (this.apps.get(appKey(appId, platform))?.logRemote.urls.length ?? 0) > 0;
  }

  /**
   * Resolves once Redis holds one job per configured URL (a no-op for an app without URLs). Rejects with
   * `LogSinkPublishError` when Redis refuses or does not answer within `addTimeoutMs`.
   */
  async publish(input: SinkRecordInput): Promise<void> {
    if (this.closed) throw new LogSinkPublishError(input.requestId, 'publisher is closed');
    const app = this.apps.get(appKey(input.appId, input.platform));
    if (!app || app.logRemote.urls.length === 0) return;

    const payload = redactSinkPayload(
      buildSinkPayload(input, { serverIp: await this.serverIp, now: this.clock.now() }),
    );
    const jobs = app.logRemote.urls.map((url, index) => ({
      name: input.requestId,
      data: {
        requestId: input.requestId,
        sink: { appId: app.appId, platform: app.platform, index, shown: displayUrl(url) },
        payload,
      } satisfies SinkJobData,
      opts: sinkJobOptions(),
    }));
    const queue = this.queueFor(app);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.addTimeoutMs} ms`)),
        this.addTimeoutMs,
      );
    });
    try {
      // addBulk is one MULTI: a record's jobs are queued together or not at all.
      await Promise.race([queue.addBulk(jobs), timeout]);
    } catch (err) {
      throw new LogSinkPublishError(input.requestId, errorMessage(err));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the queues (not the shared connection). */
  async close(): Promise<void> {
    this.closed = true;
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close()));
  }

  private queueFor(app: LogSinkApp): Queue<SinkJobData> {
    const key = appKey(app.appId, app.platform);
    let queue = this.queues.get(key);
    if (!queue) {
      const name = sinkQueueName(app.appId, app.platform);
      queue = new Queue<SinkJobData>(name, {
        connection: this.options.redis,
        prefix: queuePrefix(this.prefix, name, this.options.cluster ?? false),
      });
      // Connection trouble also surfaces as a rejected publish(); the listener keeps it from being an unhandled 'error'.
      queue.on('error', (err) =>
        this.options.logger?.warn({ err: err.message, queue: queue?.name }, 'log sink queue error'),
      );
      this.queues.set(key, queue);
    }
    return queue;
  }
}
