// Backoff math: Sylk's schedule, Retry-After stretching one job's wait, the BullMQ strategy.
import type { PushResult } from '@pushwire/core';
import type { MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { pushBackoffStrategy, retryBaseOf, retryDelayMs, RetryableSendError, sylkBackoffMs } from './retry-delay.js';

const result: PushResult = {
  code: 429,
  reason: 'TooManyRequests',
  body: {},
  url: '',
  platform: 'apple',
  call_id: 'c',
  token: 't',
};
const job = (delay: number) => ({ opts: { backoff: { type: 'sylk', delay } } }) as unknown as MinimalJob;

describe('retry delays', () => {
  it('follow Sylk: 0.5, 1, 2 ... s after attempts 1, 2, 3 ...', () => {
    expect([1, 2, 3, 4, 8].map((n) => sylkBackoffMs(n, 500))).toEqual([500, 1000, 2000, 4000, 64_000]);
    // 7 retries wait 63.5 s in all (Sylk also sleeps 64 s after the last attempt, which only delays its answer).
    expect(Array.from({ length: 7 }, (_, i) => sylkBackoffMs(i + 1, 500)).reduce((a, b) => a + b)).toBe(63_500);
    expect(sylkBackoffMs(11, 500)).toBe(512_000);
  });

  it('wait for Retry-After when it is longer than the backoff, never shorter', () => {
    expect(retryDelayMs(1, 500, 3000)).toBe(3000);
    expect(retryDelayMs(4, 500, 3000)).toBe(4000);
    expect(retryDelayMs(1, 500, 0)).toBe(500);
    expect(retryDelayMs(2, 500)).toBe(1000);
    expect(retryDelayMs(1, 500, 1200.2)).toBe(1201);
    expect(retryDelayMs(1, 500, Number.NaN)).toBe(500);
  });

  it('read the base from the job’s backoff option, else Sylk’s 500 ms', () => {
    expect(retryBaseOf({ backoff: { type: 'sylk', delay: 20 } })).toBe(20);
    expect(retryBaseOf({ backoff: 7 })).toBe(7);
    expect(retryBaseOf({})).toBe(500);
  });
});

describe('pushBackoffStrategy', () => {
  it('uses the delay the processor chose for this job', async () => {
    expect(await pushBackoffStrategy(1, 'sylk', new RetryableSendError(result, 4000), job(100))).toBe(4000);
  });

  it('falls back to Sylk’s backoff for other errors', async () => {
    expect(await pushBackoffStrategy(3, 'sylk', new Error('redis hiccup'), job(100))).toBe(400);
    expect(await pushBackoffStrategy(1, 'sylk', new RetryableSendError(result), job(100))).toBe(100);
  });

  it('refuses backoff types it does not own', () => {
    expect(() => pushBackoffStrategy(1, 'mystery', new Error('x'), job(100))).toThrow(/unknown backoff type mystery/);
  });
});
