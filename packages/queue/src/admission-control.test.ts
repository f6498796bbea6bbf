// Admission control on real Redis and BullMQ: counts waiting + delayed jobs, cached, with local increments.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@pushwire/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AdmissionControl } from './admission-control.js';
import { pushQueueName } from './queue-names.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `pwtest-${randomUUID()}`;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function setup(appId: string, maxDepth: number) {
  const clock = new ManualClock(1_000_000);
  const admission = new AdmissionControl({ redis, prefix, maxDepth, clock });
  const queue = new Queue(pushQueueName(appId, 'apple'), { connection: redis, prefix });
  closers.push(
    () => admission.close(),
    () => queue.close(),
  );
  return { clock, admission, queue };
}

describe('AdmissionControl', () => {
  it('refuses once waiting + delayed jobs reach the maximum, naming the queue', async () => {
    const { clock, admission, queue } = setup('com.full', 3);
    expect(await admission.check('com.full', 'apple')).toEqual({ admitted: true });
    await queue.add('a', {});
    await queue.add('b', {}, { delay: 60_000 });
    clock.advance(250);
    expect(await admission.check('com.full', 'apple')).toEqual({ admitted: true });
    await queue.add('c', {});
    clock.advance(250);
    expect(await admission.check('com.full', 'apple')).toEqual({
      admitted: false,
      queue: 'push.apple.com.full',
      depth: 3,
      maxDepth: 3,
    });
    // Another app's queue is counted on its own.
    expect(await admission.check('com.other', 'apple')).toEqual({ admitted: true });
  });

  it('reuses a count within the refresh window, adding what this process queued meanwhile', async () => {
    const { clock, admission, queue } = setup('com.burst', 2);
    expect(await admission.check('com.burst', 'apple')).toEqual({ admitted: true });
    // Jobs added behind its back are not seen until the next refresh...
    await queue.add('x', {});
    await queue.add('y', {});
    expect(await admission.check('com.burst', 'apple')).toEqual({ admitted: true });
    // ...but the ones it was told about are.
    admission.noteQueued('com.burst', 'apple', 2);
    expect(await admission.check('com.burst', 'apple')).toMatchObject({ admitted: false, depth: 2 });
    clock.advance(250);
    await queue.drain(true);
    expect(await admission.check('com.burst', 'apple')).toEqual({ admitted: true });
  });

  it('admits everything when the maximum is 0 (unlimited)', async () => {
    const { admission, queue } = setup('com.unlimited', 0);
    await queue.add('x', {});
    expect(await admission.check('com.unlimited', 'apple')).toEqual({ admitted: true });
  });
});
