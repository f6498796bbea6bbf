// The processor's delivery policy on real Redis and BullMQ, with a scripted push service: Retry-After per job,
// call deadlines, cancels, the circuit breaker and FCM's quota signal. Outcomes are counted, never timed.
import { systemClock } from '@pushwire/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createProcessorLab, delivered, response, until } from './test-support/processor-harness.js';

const lab = createProcessorLab();
const { harness, cancels } = lab;
afterEach(() => lab.stopHarnesses());
afterAll(() => lab.close());

describe('Retry-After', () => {
  it('delays only the job that got it, by max(backoff, Retry-After)', async () => {
    const h = await harness('apple', (push) =>
      push.token.endsWith('-slow')
        ? { kind: 'retryable', response: response(429, 'TooManyRequests'), retryAfterMs: 60_000 }
        : { kind: 'retryable', response: response(503, 'ServiceUnavailable') },
    );
    const slow = await h.add({ event: 'message', token: 'a-slow', callId: 'm1' });
    const plain = await h.add({ event: 'message', token: 'b-plain', callId: 'm2' });
    const delays = await until(async () => {
      const [s, p] = await Promise.all([h.queue.getJob(slow.id!), h.queue.getJob(plain.id!)]);
      return (await s!.getState()) === 'delayed' && s!.attemptsMade === 1 && p!.attemptsMade >= 1
        ? { slow: s!.delay }
        : undefined;
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
    expect(result).toMatchObject({
      code: 408,
      reason: 'expired - not delivered before the call deadline',
      call_id: job.data.request.callId,
    });
    expect(done.failedReason).toBe('408 expired - not delivered before the call deadline');
    expect(h.provider.sent).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('"event":"expired"') && l.includes('"level":30'))).toBe(true);
  });

  it('expires at once when the next retry would land after the deadline', async () => {
    const h = await harness('apple', () => ({
      kind: 'retryable',
      response: response(429, 'TooManyRequests'),
      retryAfterMs: 5_000,
    }));
    const job = await h.add({ event: 'cancel' }, { deadlineAt: h.clock.now() + 1_000 });
    const { result } = await h.settled(job);
    expect(result).toMatchObject({ code: 408 });
    expect(h.provider.sent).toHaveLength(1);
  });

  it('aborts a send still running at the deadline, without counting it against the push service', async () => {
    const h = await harness(
      'apple',
      (_push, options) =>
        new Promise((resolve) =>
          options?.signal?.addEventListener('abort', () =>
            resolve({ kind: 'retryable', response: response(500, 'aborted') }),
          ),
        ),
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
    const h = await harness('firebase', () => delivered, {
      delivery: { callDeadlineMs: 1_000, expirationFromDeadline: true },
    });
    const call = await h.add({ event: 'incoming_session' });
    const message = await h.add({ event: 'message' });
    expect((await h.settled(call)).result).toMatchObject({ code: 200 });
    expect((await h.settled(message)).result).toMatchObject({ code: 200 });
    const ttls = new Set(
      h.provider.sent.map((p) => (p.payload as { message: { android: { ttl: string } } }).message.android.ttl),
    );
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
    // The cancel is accepted 1 ms after the wake-up below (the harness stamps acceptedAt from its clock).
    await cancels.mark(
      [{ appId: invite.data.request.appId, callId: 'call-z', deviceId: null }],
      10_000,
      h.clock.now() + 1,
    );
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

  it('sends a wake-up accepted after the cancel: a new call attempt may reuse the call-id', async () => {
    const h = await harness('apple', () => delivered);
    const first = await h.add({ event: 'message', callId: 'before' });
    await h.settled(first);
    await cancels.mark(
      [{ appId: first.data.request.appId, callId: 'call-again', deviceId: null }],
      10_000,
      h.clock.now(),
    );
    h.clock.advance(1);
    const again = await h.add(
      { event: 'incoming_session', callId: 'call-again', token: 'voip-token' },
      { attempts: 1 },
    );
    expect((await h.settled(again)).result).toMatchObject({ code: 200 });
    expect(h.provider.sent.map((p) => (p.payload as { 'call-id'?: string })['call-id'])).toContain('call-again');
  });
});

describe('circuit breaker', () => {
  it('fails fast without touching the push service once open, as a retryable 503 with the breaker’s wait', async () => {
    const h = await harness('apple', () => ({ kind: 'retryable', response: response(500, 'InternalServerError') }), {
      threshold: 2,
    });
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
    const quota = {
      _content: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }],
        },
      },
    };
    const h = await harness('firebase', () =>
      calls++ === 0
        ? { kind: 'retryable', response: response(429, 'Too Many Requests', quota), retryAfterMs: 200 }
        : delivered,
    );
    const job = await h.add({ event: 'message' }, { attempts: 1 });
    const { state, result, job: done } = await h.settled(job);
    expect(state).toBe('completed');
    expect(result).toMatchObject({ code: 200 });
    expect(h.rateLimits).toEqual([200]);
    expect(done.attemptsMade).toBe(1);
    expect(done.attemptsStarted).toBe(2);
  });

  it('holds back the app’s other jobs while the quota pause lasts', async () => {
    const quota = {
      _content: {
        error: {
          code: 429,
          details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }],
        },
      },
    };
    const h = await harness('firebase', () => ({
      kind: 'retryable',
      response: response(429, 'Too Many Requests', quota),
      retryAfterMs: 60_000,
    }));
    const first = await h.add({ event: 'message', callId: 'q1' });
    // Put back to waiting by the RateLimitError, after the queue was limited.
    await until(async () =>
      h.rateLimits.length === 1 && (await (await h.queue.getJob(first.id!))!.getState()) === 'waiting'
        ? true
        : undefined,
    );
    const second = await h.add({ event: 'message', callId: 'q2' });
    expect(await h.queue.getRateLimitTtl()).toBeGreaterThan(0);
    expect(await (await h.queue.getJob(second.id!))!.getState()).toBe('waiting');
    expect(h.provider.sent).toHaveLength(1);
    expect((await h.queue.getJob(first.id!))!.attemptsMade).toBe(0);
  });
});
