// A publisher and a sink worker on real Redis under one unique prefix, torn down in reverse order.
import type { LogRemoteConfig } from '@pushwire/core';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { LogSinkPublisher } from '../publisher.js';
import { startLogSinkWorker, type LogSinkWorkerOptions, type RunningLogSinkWorker } from '../sink-worker.js';
import { sinkQueueName, type LogSinkApp, type SinkJobData } from '../sink-queue.js';
import { captureLog, type CapturedLog } from './log-capture.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from './redis-fixture.js';

export const APP_ID = 'com.example.sylk';

export function sinkApp(urls: string[], logRemote: Partial<LogRemoteConfig> = {}): LogSinkApp {
  return { appId: APP_ID, platform: 'apple', logRemote: { urls, key: null, timeoutMs: 2000, ...logRemote } };
}

export interface SettledCounts {
  completed: number;
  failed: number;
}

type WorkerTuning = Partial<Pick<LogSinkWorkerOptions, 'attempts' | 'retryBaseMs' | 'maxRetryDelayMs' | 'concurrency'>>;

export interface SinkStack {
  readonly prefix: string;
  readonly redis: Redis;
  readonly log: CapturedLog;
  readonly publisher: LogSinkPublisher;
  /** The sink queue of `APP_ID` on Apple, for inspecting jobs. */
  readonly queue: Queue<SinkJobData>;
  worker: RunningLogSinkWorker;
  /**
   * Resolves once the sink queue's completed and failed counts satisfy `done`, re-checked on every job
   * that settles (from the start of the event stream, so nothing is missed); rejects after `timeoutMs`.
   */
  waitForSettled(done: (counts: SettledCounts) => boolean, timeoutMs?: number): Promise<SettledCounts>;
  /** Starts another sink worker (e.g. after closing the first, as a restarted process). */
  startWorker(): Promise<RunningLogSinkWorker>;
  /** Runs at teardown, before the stack's own cleanup. */
  defer(cleanup: () => Promise<unknown>): void;
  close(): Promise<void>;
}

/** Scaled-down retries (docs/decisions/0016-scaled-time-in-tests.md): 10 ms first delay, 200 ms at most. */
export async function startSinkStack(app: LogSinkApp, tuning: WorkerTuning = {}): Promise<SinkStack> {
  const prefix = uniquePrefix('stack');
  const redis = testRedis();
  const log = captureLog();
  const cleanups: Array<() => Promise<unknown>> = [];
  const startWorker = async () => {
    const worker = await startLogSinkWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      logger: log.logger,
      apps: [app],
      retryBaseMs: 10,
      maxRetryDelayMs: 200,
      ...tuning,
    });
    cleanups.push(() => worker.close());
    return worker;
  };
  const publisher = new LogSinkPublisher({ redis, prefix, apps: [app], serverIp: '192.0.2.7' });
  const queue = new Queue<SinkJobData>(sinkQueueName(app.appId, app.platform), { connection: redis, prefix });
  const eventsRedis = testRedis();
  const events = new QueueEvents(queue.name, { connection: eventsRedis, prefix, lastEventId: '0' });
  await events.waitUntilReady();

  async function waitForSettled(done: (counts: SettledCounts) => boolean, timeoutMs = 10_000): Promise<SettledCounts> {
    const read = async (): Promise<SettledCounts> => {
      const { completed = 0, failed = 0 } = await queue.getJobCounts('completed', 'failed');
      return { completed, failed };
    };
    return new Promise((resolve, reject) => {
      let last: SettledCounts = { completed: 0, failed: 0 };
      const check = () => {
        void read().then((counts) => {
          last = counts;
          if (!done(counts)) return;
          cleanup();
          resolve(counts);
        }, reject);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`sink queue still at ${JSON.stringify(last)} after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('completed', check);
        events.off('failed', check);
      };
      events.on('completed', check);
      events.on('failed', check);
      check();
    });
  }
  const stack: SinkStack = {
    prefix,
    redis,
    log,
    publisher,
    queue,
    worker: await startWorker(),
    startWorker,
    waitForSettled,
    defer: (cleanup) => cleanups.push(cleanup),
    async close() {
      // Keys are deleted even when a cleanup fails, so a failing test leaves nothing behind.
      const errors: unknown[] = [];
      for (const cleanup of [
        ...cleanups.reverse(),
        () => publisher.close(),
        () => events.close(),
        () => queue.close(),
      ]) {
        await cleanup().catch((err: unknown) => errors.push(err));
      }
      eventsRedis.disconnect();
      await deletePrefix(redis, prefix);
      redis.disconnect();
      if (errors.length > 0) throw errors[0];
    },
  };
  return stack;
}
