// Sync answers on real Redis: results published to the waiting instance's channel, stored for late waiters,
// and still answered while the instance's subscriber reconnects.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { jobKeyOf, ResultChannel, resultChannelName, type ResultRef } from './result-channel.js';
import { ResultListener, type ResultListenerLog } from './result-listener.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const prefix = `pwtest-${randomUUID()}`;
const channel = new ResultChannel<{ code: number }>(redis, { prefix });

/** A job hash as BullMQ would hold it (results are stored in the job's own hash). */
async function job(id: string): Promise<ResultRef> {
  const jobKey = jobKeyOf(prefix, 'push.apple.test', id);
  await redis.hset(jobKey, 'name', 'call', 'data', '{}');
  return { jobId: id, jobKey };
}
const closers: Array<() => Promise<void>> = [];

interface Logged {
  level: 'info' | 'warn';
  fields: object;
  message: string;
}

async function listener(options: { instanceId?: string; pollMs?: number } = {}) {
  const logs: Logged[] = [];
  const log: ResultListenerLog = {
    info: (fields, message) => logs.push({ level: 'info', fields, message }),
    warn: (fields, message) => logs.push({ level: 'warn', fields, message }),
  };
  const name = `pw-results-${randomUUID()}`;
  const l = new ResultListener<{ code: number }>({
    redis,
    createSubscriber: () => new Redis(url, { connectionName: name }),
    prefix,
    log,
    ...options,
  });
  await l.start();
  closers.push(() => l.close());
  return { listener: l, logs, connectionName: name };
}

afterAll(async () => {
  for (const close of closers) await close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ResultChannel + ResultListener', () => {
  it('subscribes once per instance at start, never per job', async () => {
    const { listener: l } = await listener();
    expect(l.state()).toBe('subscribed');
    const waiters = ['j1', 'j2', 'j3'].map((id) => l.wait(id, jobKeyOf(prefix, 'push.apple.test', id)));
    const [, subscribers] = (await redis.pubsub('NUMSUB', resultChannelName(prefix, l.instanceId))) as [string, number];
    expect(subscribers).toBe(1);
    const perJob = (await redis.pubsub('CHANNELS', `${prefix}:result:*`)) as string[];
    expect(perJob).toEqual([]);
    for (const w of waiters) w.cancel();
  });

  it('delivers a result published to the waiting instance', async () => {
    const { listener: l } = await listener({ pollMs: 60_000 });
    const ref = await job('job-a');
    const waiter = l.wait(ref.jobId, ref.jobKey);
    const pending = waiter.result(5000);
    await channel.publish(ref, { code: 200 }, l.instanceId);
    expect(await pending).toEqual({ code: 200 });
    expect(l.waiting()).toBe(0);
  });

  it('returns a result that was stored before the waiter arrived (a retried push already delivered)', async () => {
    const { listener: l } = await listener({ pollMs: 60_000 });
    const ref = await job('job-b');
    await channel.publish(ref, { code: 410 });
    expect(await l.wait(ref.jobId, ref.jobKey).result(5000)).toEqual({ code: 410 });
  });

  it('answers null after the bounded wait; the result lives in the job hash, and never outlives the job', async () => {
    const { listener: l } = await listener();
    const ref = await job('job-c');
    expect(await l.wait(ref.jobId, ref.jobKey).result(50)).toBeNull();
    await channel.publish(ref, { code: 200 });
    expect(await channel.peek(ref.jobKey)).toEqual({ code: 200 });
    // A job already removed (retention, an operator) gets no orphan hash.
    const gone = jobKeyOf(prefix, 'push.apple.test', 'job-removed');
    await channel.publish({ jobId: 'job-removed', jobKey: gone }, { code: 200 });
    expect(await redis.exists(gone)).toBe(0);
  });

  it('wakes every waiter of the same job, even when the result lands before they ask for it', async () => {
    const { listener: l } = await listener({ pollMs: 60_000 });
    const ref = await job('job-d');
    const a = l.wait(ref.jobId, ref.jobKey);
    const b = l.wait(ref.jobId, ref.jobKey);
    // Published before either calls result(): registration alone must be enough.
    await channel.publish(ref, { code: 200 }, l.instanceId);
    await until(async () => (await channel.peek(ref.jobKey)) !== null);
    await redis.del(ref.jobKey); // so only the message can answer
    expect(await Promise.all([a.result(5000), b.result(5000)])).toEqual([{ code: 200 }, { code: 200 }]);
  });

  it('answers a waiter on another instance (a duplicate of a job queued elsewhere) from the stored result', async () => {
    const { listener: other } = await listener({ pollMs: 20 });
    const ref = await job('job-e');
    const pending = other.wait(ref.jobId, ref.jobKey).result(5000);
    await channel.publish(ref, { code: 200 }, 'the-instance-that-queued-it');
    expect(await pending).toEqual({ code: 200 });
  });

  it('reports a dropped subscriber, answers from stored results meanwhile, then resubscribes', async () => {
    const { listener: l, logs, connectionName } = await listener({ pollMs: 20 });
    const clients = String(await redis.client('LIST'));
    const id = /id=(\d+) .*?name=(\S+)/g;
    const subscriberId = [...clients.matchAll(id)].find((m) => m[2] === connectionName)?.[1];
    expect(subscriberId).toBeDefined();
    await redis.client('KILL', 'ID', subscriberId!);
    await until(() => logs.some((e) => e.level === 'warn' && e.message.startsWith('result subscriber disconnected')));

    // However the subscriber is doing, a waiter gets its result.
    const ref = await job('job-f');
    const pending = l.wait(ref.jobId, ref.jobKey).result(5000);
    await channel.publish(ref, { code: 200 }, l.instanceId);
    expect(await pending).toEqual({ code: 200 });

    await until(() => l.state() === 'subscribed');
    expect(logs.some((e) => e.level === 'info' && e.message === 'result subscriber reconnected and resubscribed')).toBe(
      true,
    );
    const [, count] = (await redis.pubsub('NUMSUB', resultChannelName(prefix, l.instanceId))) as [string, number];
    expect(count).toBe(1);
    // Messages flow again (no polling: a minute between polls).
    const fast = await listener({ pollMs: 60_000, instanceId: l.instanceId });
    const refG = await job('job-g');
    const viaMessage = fast.listener.wait(refG.jobId, refG.jobKey);
    const got = viaMessage.result(5000);
    await channel.publish(refG, { code: 201 }, l.instanceId);
    await redis.del(refG.jobKey);
    expect(await got).toEqual({ code: 201 });
  });
});
