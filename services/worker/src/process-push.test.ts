// The processor's delivery policy on real Redis and BullMQ, with a scripted push service: Retry-After per job,
// call deadlines, cancels, the circuit breaker and FCM's quota signal. Outcomes are counted, never timed.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { getAppType } from '@pushwire/apps';
import { appKey, ManualClock, systemClock, type AppConfig, type Clock, type OutgoingPush, type PushProvider, type PushRequest, type PushResult, type SendOptions, type SendOutcome } from '@pushwire/core';
import { createLogger } from '@pushwire/logging';
import { CancelMarks, pushJobOptions, pushQueueName, ResultChannel, type PushJobData } from '@pushwire/queue';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pushRequest } from '../../../packages/apps/src/test-support/push-request.js';
import type { AppRuntime } from './app-runtime.js';
import { CircuitBreaker } from './policy/circuit-breaker.js';
import { pushBackoffStrategy } from './policy/retry-delay.js';
import { processPush } from './process-push.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url, { maxRetriesPerRequest: null });
const prefix = `pwtest-${randomUUID()}`;
const results = new ResultChannel<PushResult>(redis, () => new Redis(url), { prefix });
const cancels = new CancelMarks(redis, { prefix });
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  await results.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

type Script = (push: OutgoingPush, options: SendOptions | undefined) => SendOutcome | Promise<SendOutcome>;

/** A push service answering by script, recording every push it was handed. */
class ScriptedProvider implements PushProvider {
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

const response = (code: number, reason = '', body: unknown = {}) => ({ code, reason, body, url: 'https://push.example' });
const delivered: SendOutcome = { kind: 'delivered', response: response(200) };

function appConfig(appId: string, platform: 'apple' | 'firebase', delivery = { callDeadlineMs: 60_000, expirationFromDeadline: false }): AppConfig {
  const base = { section: appId, appId, appType: 'sylk', logRemote: { urls: [], key: null, timeoutMs: 2000 }, caPem: null, delivery };
  return platform === 'apple'
    ? { ...base, platform, pushHost: 'h', pushPort: 443, voip: true, auth: { kind: 'certificate', certFile: '', certPem: '', keyFile: '', keyPem: '' } }
    : { ...base, platform, pushUrl: 'https://push.example', auth: { kind: 'legacy-key', key: 'k' } };
}

interface Harness {
  queue: Queue<PushJobData>;
  provider: ScriptedProvider;
  breaker: CircuitBreaker;
  clock: ManualClock;
  rateLimits: number[];
  logs: string[];
  add(request: Partial<PushRequest> & Pick<PushRequest, 'event'>, extra?: { deadlineAt?: number; attempts?: number; retryBaseMs?: number }): Promise<Job<PushJobData>>;
  /** The job once it completed or failed for good, with the result published for it. */
  settled(job: Job<PushJobData>): Promise<{ state: string; result: PushResult | null; job: Job<PushJobData> }>;
}

interface HarnessOptions {
  threshold?: number;
  delivery?: { callDeadlineMs: number; expirationFromDeadline: boolean };
  /** The processor's clock; default the harness's ManualClock. */
  clock?: Clock;
}

async function harness(platform: 'apple' | 'firebase', script: Script, options: HarnessOptions = {}): Promise<Harness> {
  const appId = `com.example.${randomUUID().slice(0, 8)}`;
  const key = appKey(appId, platform);
  const clock = new ManualClock(Date.now());
  const provider = new ScriptedProvider(platform, script);
  const breaker = new CircuitBreaker({ failureThreshold: options.threshold ?? 100, cooldownMs: 30_000, clock });
  const apps = new Map<string, AppRuntime>([[key, { config: appConfig(appId, platform, options.delivery), appType: getAppType('sylk')!, provider }]]);
  const name = pushQueueName(appId, platform);
  const queue = new Queue<PushJobData>(name, { connection: redis, prefix });
  const events = new QueueEvents(name, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix });
  const rateLimits: number[] = [];
  const logs: string[] = [];
  const logger = createLogger({ name: 'worker-test', level: 'debug', destination: new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }) });
  const worker = new Worker<PushJobData, PushResult>(
    name,
    (job) =>
      processPush(job, {
        apps, results, logger, clock: options.clock ?? clock,
        deadTokens: { storage: null, redis, prefix, logger },
        policy: {
          cancels,
          breaker: (k) => (k === key ? breaker : undefined),
          rateLimitQueue: async (_k, ms) => {
            rateLimits.push(ms);
            await queue.rateLimit(ms);
          },
        },
      }),
    { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, settings: { backoffStrategy: pushBackoffStrategy }, limiter: { max: 1_000_000_000, duration: 1000 } },
  );
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  closers.push(async () => {
    await worker.close();
    await events.close();
    await queue.close();
  });

  return {
    queue, provider, breaker, clock, rateLimits, logs,
    async add(fields, extra = {}) {
      const request = pushRequest({ appId, platform, token: `tok-${randomUUID()}`, ...fields });
      const data: PushJobData = { request, requestId: `${request.event}-${appId}-${request.callId}`, acceptedAt: clock.now(), deadlineAt: extra.deadlineAt };
      const opts = pushJobOptions({ jobId: `j-${randomUUID()}`, mediaType: request.mediaType, retryBaseMs: extra.retryBaseMs ?? 50 });
      return queue.add(request.callId, data, extra.attempts ? { ...opts, attempts: extra.attempts } : opts);
    },
    async settled(job) {
      try {
        await job.waitUntilFinished(events, 20_000);
      } catch {
        // failed for good: the state below says so
      }
      const fresh = (await queue.getJob(job.id!))!;
      return { state: await fresh.getState(), result: await results.peek(job.id!), job: fresh };
    },
  };
}

/** Resolves once `check` holds, polling the queue state (no fixed sleeps). */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Retry-After', () => {
  it('delays only the job that got it, by max(backoff, Retry-After)', async () => {
    const h = await harness('apple', (push) =>
      push.token.endsWith('-slow') ? { kind: 'retryable', response: response(429, 'TooManyRequests'), retryAfterMs: 60_000 } : { kind: 'retryable', response: response(503, 'ServiceUnavailable') },
    );
    const slow = await h.add({ event: 'message', token: 'a-slow', callId: 'm1' });
    const plain = await h.add({ event: 'message', token: 'b-plain', callId: 'm2' });
    const delays = await until(async () => {
      const [s, p] = await Promise.all([h.queue.getJob(slow.id!), h.queue.getJob(plain.id!)]);
      return (await s!.getState()) === 'delayed' && s!.attemptsMade === 1 && p!.attemptsMade >= 1 ? { slow: s!.delay } : undefined;
    });
    expect(delays.slow).toBe(60_000);
    // The other job kept retrying on Sylk's schedule meanwhile (the queue was never held back).
    await until(async () => ((await h.queue.getJob(plain.id!))!.attemptsMade >= 3 ? true : undefined));
    expect((await h.queue.getJob(slow.id!))!.attemptsMade).toBe(1);
    expect(h.rateLimits).toEqual([]);
  });
});

describe('call deadline', () => {
  it('drops a wake-up picked up after its deadline: 408 expired, never sent', async () => {
    const h = await harness('apple', () => delivered);
    const job = await h.add({ event: 'incoming_session', mediaType: 'audio' }, { deadlineAt: h.clock.now() - 1 });
    const { state, result, job: done } = await h.settled(job);
    expect(state).toBe('failed');
    expect(result).toMatchObject({ code: 408, reason: 'expired - not delivered before the call deadline', call_id: job.data.request.callId });
    expect(done.failedReason).toBe('408 expired - not delivered before the call deadline');
    expect(h.provider.sent).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('"event":"expired"') && l.includes('"level":30'))).toBe(true);
  });

  it('expires at once when the next retry would land after the deadline', async () => {
    const h = await harness('apple', () => ({ kind: 'retryable', response: response(429, 'TooManyRequests'), retryAfterMs: 5_000 }));
    const job = await h.add({ event: 'cancel' }, { deadlineAt: h.clock.now() + 1_000 });
    const { result } = await h.settled(job);
    expect(result).toMatchObject({ code: 408 });
    expect(h.provider.sent).toHaveLength(1);
  });

  it('aborts a send still running at the deadline, without counting it against the push service', async () => {
    const h = await harness(
      'apple',
      (_push, options) =>
        new Promise((resolve) => options?.signal?.addEventListener('abort', () => resolve({ kind: 'retryable', response: response(500, 'aborted') }))),
      // Real time here: the abort timer runs on the system clock.
      { threshold: 1, clock: systemClock },
    );
    const job = await h.add({ event: 'incoming_session' }, { deadlineAt: Date.now() + 300 });
    const { result } = await h.settled(job);
    expect(result).toMatchObject({ code: 408 });
    expect(h.provider.sent).toHaveLength(1);
    expect(h.breaker.state()).toBe('closed');
  });

  it('derives the deadline from the app’s call_deadline when the job has none, and leaves messages alone', async () => {
    const h = await harness('firebase', () => delivered, { delivery: { callDeadlineMs: 1_000, expirationFromDeadline: true } });
    const call = await h.add({ event: 'incoming_session' });
    const message = await h.add({ event: 'message' });
    expect((await h.settled(call)).result).toMatchObject({ code: 200 });
    expect((await h.settled(message)).result).toMatchObject({ code: 200 });
    const ttls = new Set(h.provider.sent.map((p) => (p.payload as { message: { android: { ttl: string } } }).message.android.ttl));
    expect(ttls).toEqual(new Set(['1s', '60s']));
    h.clock.advance(1_000);
    const late = await h.add({ event: 'incoming_conference_request' });
    h.clock.advance(1_000);
    expect((await h.settled(late)).result).toMatchObject({ code: 408 });
  });
});

describe('cancel supersedes invite', () => {
  it('never sends a wake-up of a cancelled call (409), whatever its token; other events still go', async () => {
    const h = await harness('apple', () => delivered);
    const invite = await h.add({ event: 'incoming_session', callId: 'call-x', token: 'voip-token' }, { attempts: 1 });
    const message = await h.add({ event: 'message', callId: 'call-y' });
    await h.settled(invite);
    await cancels.mark([{ appId: invite.data.request.appId, callId: 'call-z', deviceId: null }], 10_000);
    const cancelled = await h.add({ event: 'incoming_session', callId: 'call-z', token: 'voip-token' });
    const sameCallMessage = await h.add({ event: 'message', callId: 'call-z' });
    const { state, result } = await h.settled(cancelled);
    expect(state).toBe('failed');
    expect(result).toMatchObject({ code: 409, reason: 'superseded - the call was cancelled' });
    expect((await h.settled(sameCallMessage)).result).toMatchObject({ code: 200 });
    expect((await h.settled(message)).result).toMatchObject({ code: 200 });
    const wakeUps = h.provider.sent.filter((p) => p.headers['apns-push-type'] === 'voip');
    expect(wakeUps.map((p) => (p.payload as { 'call-id': string })['call-id'])).toEqual(['call-x']);
    expect(h.provider.sent).toHaveLength(3);
  });
});

describe('circuit breaker', () => {
  it('fails fast without touching the push service once open, as a retryable 503 with the breaker’s wait', async () => {
    const h = await harness('apple', () => ({ kind: 'retryable', response: response(500, 'InternalServerError') }), { threshold: 2 });
    const first = await h.add({ event: 'message', callId: 'm1' }, { attempts: 1 });
    const second = await h.add({ event: 'message', callId: 'm2' }, { attempts: 1 });
    await h.settled(first);
    await h.settled(second);
    expect(h.breaker.state()).toBe('open');
    const held = await h.add({ event: 'message', callId: 'm3' }, { attempts: 1 });
    expect((await h.settled(held)).result).toMatchObject({ code: 503, reason: 'circuit open - APNs unavailable' });
    const retried = await h.add({ event: 'message', callId: 'm4' });
    const delay = await until(async () => {
      const job = (await h.queue.getJob(retried.id!))!;
      return job.attemptsMade === 1 ? job.delay : undefined;
    });
    expect(delay).toBe(30_000);
    expect(h.provider.sent).toHaveLength(2);
  });
});

describe('FCM quota', () => {
  it('rate-limits the app’s queue on QUOTA_EXCEEDED and puts the job back without using an attempt', async () => {
    let calls = 0;
    const quota = { _content: { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }] } } };
    const h = await harness('firebase', () => (calls++ === 0 ? { kind: 'retryable', response: response(429, 'Too Many Requests', quota), retryAfterMs: 200 } : delivered));
    const job = await h.add({ event: 'message' }, { attempts: 1 });
    const { state, result, job: done } = await h.settled(job);
    expect(state).toBe('completed');
    expect(result).toMatchObject({ code: 200 });
    expect(h.rateLimits).toEqual([200]);
    expect(done.attemptsMade).toBe(1);
    expect(done.attemptsStarted).toBe(2);
  });

  it('holds back the app’s other jobs while the quota pause lasts', async () => {
    const quota = { _content: { error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }] } } };
    const h = await harness('firebase', () => ({ kind: 'retryable', response: response(429, 'Too Many Requests', quota), retryAfterMs: 60_000 }));
    const first = await h.add({ event: 'message', callId: 'q1' });
    // Put back to waiting by the RateLimitError, after the queue was limited.
    await until(async () => (h.rateLimits.length === 1 && (await (await h.queue.getJob(first.id!))!.getState()) === 'waiting' ? true : undefined));
    const second = await h.add({ event: 'message', callId: 'q2' });
    expect(await h.queue.getRateLimitTtl()).toBeGreaterThan(0);
    expect(await (await h.queue.getJob(second.id!))!.getState()).toBe('waiting');
    expect(h.provider.sent).toHaveLength(1);
    expect((await h.queue.getJob(first.id!))!.attemptsMade).toBe(0);
  });
});
