// Test support only: a real BullMQ worker on real Redis running processPush for one app whose push service
// answers by script, on the worker's own BullMQ settings (push-worker.ts) with a breaker and policy of its own.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { getAppType } from '@pushwire/apps';
import {
  appKey,
  ManualClock,
  type AppConfig,
  type AppDeliveryPolicy,
  type Clock,
  type OutgoingPush,
  type ProviderResponse,
  type PushProvider,
  type PushRequest,
  type PushResult,
  type SendOptions,
  type SendOutcome,
} from '@pushwire/core';
import { createLogger } from '@pushwire/logging';
import { CancelMarks, pushJobOptions, pushQueueName, ResultChannel, type PushJobData } from '@pushwire/queue';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pushRequest } from '../../../../packages/apps/src/test-support/push-request.js';
import type { AppRuntime } from '../app-runtime.js';
import { noopCallHistory, noopLogSinks, noopPushMetrics } from '../observers/noop-observers.js';
import { CircuitBreaker } from '../policy/circuit-breaker.js';
import { createPushWorker } from '../push-worker.js';

export type Script = (push: OutgoingPush, options: SendOptions | undefined) => SendOutcome | Promise<SendOutcome>;

/** A push service answering by script, recording every push it was handed. */
export class ScriptedProvider implements PushProvider {
  readonly sent: OutgoingPush[] = [];
  constructor(
    readonly platform: 'apple' | 'firebase',
    private readonly script: Script,
  ) {}
  async send(push: OutgoingPush, options?: SendOptions): Promise<SendOutcome> {
    this.sent.push(push);
    return this.script(push, options);
  }
  async close(): Promise<void> {}
}

export const response = (code: number, reason = '', body: unknown = {}): ProviderResponse => ({
  code,
  reason,
  body,
  url: 'https://push.example',
});
export const delivered: SendOutcome = { kind: 'delivered', response: response(200) };

export interface Harness {
  queue: Queue<PushJobData>;
  provider: ScriptedProvider;
  breaker: CircuitBreaker;
  /** The processor's clock unless the options gave another. */
  clock: ManualClock;
  /** Every queue rate limit asked for, ms. */
  rateLimits: number[];
  logs: string[];
  add(
    request: Partial<PushRequest> & Pick<PushRequest, 'event'>,
    extra?: { deadlineAt?: number; attempts?: number },
  ): Promise<Job<PushJobData>>;
  /** The job once it completed or failed for good, with the result published for it. */
  settled(job: Job<PushJobData>): Promise<{ state: string; result: PushResult | null; job: Job<PushJobData> }>;
}

export interface HarnessOptions {
  /** Circuit breaker threshold. Default 100 (never reached). */
  threshold?: number;
  delivery?: AppDeliveryPolicy;
  /** The processor's clock. Default the harness's ManualClock. */
  clock?: Clock;
  /** Retry base of the jobs, ms. Default 50. */
  retryBaseMs?: number;
}

/** One Redis prefix and result channel shared by the harnesses of a test file. */
export function createProcessorLab(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') {
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const c = new Redis(url, { maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };
  const redis = connect();
  const prefix = `pwtest-${randomUUID()}`;
  const results = new ResultChannel<PushResult>(redis, { prefix });
  const cancels = new CancelMarks(redis, { prefix });
  let running: Array<() => Promise<void>> = [];

  async function harness(
    platform: 'apple' | 'firebase',
    script: Script,
    options: HarnessOptions = {},
  ): Promise<Harness> {
    const appId = `com.example.${randomUUID().slice(0, 8)}`;
    const key = appKey(appId, platform);
    const clock = new ManualClock(Date.now());
    const provider = new ScriptedProvider(platform, script);
    const breaker = new CircuitBreaker({
      failureThreshold: options.threshold ?? 100,
      cooldownMs: 30_000,
      burstMs: 0,
      clock,
    });
    const config = appConfig(
      appId,
      platform,
      options.delivery ?? { callDeadlineMs: 60_000, expirationFromDeadline: false },
    );
    const apps = new Map<string, AppRuntime>([[key, { config, appType: getAppType('sylk')!, provider }]]);
    const name = pushQueueName(appId, platform);
    const queue = new Queue<PushJobData>(name, { connection: redis, prefix });
    const rateLimits: number[] = [];
    const logs: string[] = [];
    const logger = createLogger({
      name: 'worker-test',
      level: 'debug',
      destination: new Writable({
        write: (c, _e, cb) => {
          logs.push(String(c));
          cb();
        },
      }),
    });
    const policy = {
      cancels,
      breaker: (k: string) => (k === key ? breaker : undefined),
      rateLimitQueue: async (_k: string, ms: number) => {
        rateLimits.push(ms);
        await queue.rateLimit(ms);
      },
    };
    const observers = { history: noopCallHistory, metrics: noopPushMetrics, sinks: noopLogSinks, results };
    const deps = {
      apps,
      logger,
      clock: options.clock ?? clock,
      deadTokens: { storage: null, redis, prefix, logger },
      policy,
      observers,
    };
    const worker = createPushWorker(name, deps, { connection: connect(), prefix, concurrency: 1 });
    await worker.waitUntilReady();
    running.push(async () => {
      await worker.close();
      await queue.close();
    });

    return {
      queue,
      provider,
      breaker,
      clock,
      rateLimits,
      logs,
      async add(fields, extra = {}) {
        const request = pushRequest({ appId, platform, token: `tok-${randomUUID()}`, ...fields });
        const data: PushJobData = {
          request,
          requestId: `${request.event}-${appId}-${request.callId}`,
          acceptedAt: clock.now(),
          deadlineAt: extra.deadlineAt,
        };
        const opts = pushJobOptions({
          jobId: `j-${randomUUID()}`,
          mediaType: request.mediaType,
          retryBaseMs: options.retryBaseMs ?? 50,
        });
        return queue.add(request.callId, data, extra.attempts ? { ...opts, attempts: extra.attempts } : opts);
      },
      async settled(job) {
        const state = await until(async () => {
          const s = await queue.getJobState(job.id!);
          return s === 'completed' || s === 'failed' ? s : undefined;
        });
        return {
          state,
          result: await results.peek(`${queue.qualifiedName}:${job.id}`),
          job: (await queue.getJob(job.id!))!,
        };
      },
    };
  }

  return {
    prefix,
    cancels,
    harness,
    /** Stops this test's workers. */
    async stopHarnesses(): Promise<void> {
      const stopping = running;
      running = [];
      for (const stop of stopping.reverse()) await stop();
    },
    /** Stops everything and deletes the prefix's keys. */
    async close(): Promise<void> {
      await this.stopHarnesses();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      for (const c of connections) c.disconnect();
    },
  };
}

function appConfig(appId: string, platform: 'apple' | 'firebase', delivery: AppDeliveryPolicy): AppConfig {
  const base = {
    section: appId,
    appId,
    appType: 'sylk',
    logRemote: { urls: [], key: null, timeoutMs: 2000 },
    caPem: null,
    delivery,
  };
  return platform === 'apple'
    ? {
        ...base,
        platform,
        pushHost: 'h',
        pushPort: 443,
        voip: true,
        auth: { kind: 'certificate', certFile: '', certPem: '', keyFile: '', keyPem: '' },
      }
    : { ...base, platform, pushUrl: 'https://push.example', auth: { kind: 'legacy-key', key: 'k' } };
}

/** Resolves once `check` gives a value, polling (no fixed sleeps). */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
