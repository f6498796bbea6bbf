// What a worker writes to a call's history for each attempt and at the end, including the policy's decisions.
import { withSylkDefaults, type SendOutcome } from '@pushwire/core';
import { mapFcmResponse } from '@pushwire/fcm';
import type { AttemptInput, PushJobData, ResultInput } from '@pushwire/queue';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { finalOutcomeOf, recordAttempt, recordResult, recordSettled, type WorkerCallHistory } from './history-hooks.js';
import { noopCallHistory } from './observers/noop-observers.js';

function recorder() {
  const attempts: [string, AttemptInput][] = [];
  const results: [string, ResultInput][] = [];
  const history: WorkerCallHistory = {
    attempt: async (callId, input) => void attempts.push([callId, input]),
    result: async (callId, input) => void results.push([callId, input]),
  };
  return { history, attempts, results };
}

const job = (attemptsMade: number) =>
  ({
    id: 'v1-abc',
    attemptsMade,
    data: {
      request: withSylkDefaults({
        appId: 'com.x',
        platform: 'firebase',
        token: 't',
        event: 'message',
        callId: 'a:b@c',
        from: 'f',
        to: 't',
      }),
      requestId: 'r',
      acceptedAt: 0,
    },
  }) as unknown as Job<PushJobData>;

const response = (code: number, reason: string) => ({ code, reason, body: {}, url: 'https://fcm' });

describe('worker history hooks', () => {
  it('records a sent attempt with the push service answer, its number and queue', async () => {
    const { history, attempts } = recorder();
    await recordAttempt(
      history,
      job(1),
      { kind: 'retryable', response: response(503, 'Service Unavailable'), retryAfterMs: 2000 },
      false,
    );
    expect(attempts).toEqual([
      [
        'a:b@c',
        expect.objectContaining({
          jobId: 'v1-abc',
          queue: 'push.firebase.com.x',
          attempt: 2,
          sent: true,
          outcome: 'retryable',
          code: 503,
          reason: 'Service Unavailable',
          retryAfterMs: 2000,
          policy: null,
        }),
      ],
    ]);
  });

  it('marks a circuit hold as not sent and an FCM quota answer as a policy outcome', async () => {
    const { history, attempts } = recorder();
    await recordAttempt(
      history,
      job(0),
      { kind: 'retryable', response: response(503, 'circuit open - FCM unavailable'), retryAfterMs: 100 },
      true,
    );
    const quotaBody = {
      error: {
        code: 429,
        message: 'Quota exceeded.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }],
      },
    };
    await recordAttempt(
      history,
      job(0),
      mapFcmResponse(429, 'Too Many Requests', quotaBody, 'https://fcm', '30'),
      false,
    );
    expect(attempts.map(([, a]) => [a.sent, a.policy])).toEqual([
      [false, 'circuit-open'],
      [true, 'quota-exceeded'],
    ]);
  });

  it('records how the push ended; settled retryable outcomes are failures', async () => {
    const { history, results } = recorder();
    await recordResult(history, job(2), response(408, 'expired - not delivered before the call deadline'), 'expired');
    expect(results).toEqual([['a:b@c', expect.objectContaining({ attempt: 3, outcome: 'expired', code: 408 })]]);
    const kinds: SendOutcome['kind'][] = ['delivered', 'dead-token', 'rejected', 'retryable'];
    expect(kinds.map((kind) => finalOutcomeOf({ kind, response: response(0, '') } as SendOutcome))).toEqual([
      'delivered',
      'dead-token',
      'rejected',
      'failed',
    ]);
  });

  it('records the settling attempt and the result in one write when the history can, else one after the other', async () => {
    const attempt = {
      outcome: { kind: 'delivered', response: response(200, '') } as SendOutcome,
      held: false,
      at: 1234,
    };
    const { history, attempts, results } = recorder();
    await recordSettled(history, job(1), attempt, response(200, ''), 'delivered');
    expect(attempts).toEqual([
      ['a:b@c', expect.objectContaining({ at: 1234, attempt: 2, sent: true, outcome: 'delivered', code: 200 })],
    ]);
    expect(results).toEqual([['a:b@c', expect.objectContaining({ attempt: 2, outcome: 'delivered', code: 200 })]]);

    const writes: unknown[] = [];
    const oneWrite: WorkerCallHistory = {
      ...history,
      settled: async (callId, a, r) => void writes.push([callId, a.attempt, a.outcome, r.outcome]),
    };
    await recordSettled(oneWrite, job(0), attempt, response(200, ''), 'delivered');
    expect(writes).toEqual([['a:b@c', 1, 'delivered', 'delivered']]);
    expect(attempts).toHaveLength(1);
  });

  it('does nothing with the no-op history', async () => {
    await expect(
      recordAttempt(noopCallHistory, job(0), { kind: 'delivered', response: response(200, '') }, false),
    ).resolves.toBeUndefined();
    await expect(recordResult(noopCallHistory, job(0), response(200, ''), 'delivered')).resolves.toBeUndefined();
  });
});
