// Queue depth read at scrape time from real Redis; an unreachable Redis reports "unknown", never stale counts.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueDepthMetrics } from './queue-depth.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pwtest-${randomUUID()}`;
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await redis.ping();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function gauge(registry: Registry, name: string): Promise<Record<string, number>> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return Object.fromEntries(values.map((v) => [Object.values(v.labels).join(' '), v.value]));
}

describe('queue depth', () => {
  it('reports every state of every watched queue at scrape time', async () => {
    const queue = new Queue('push.apple.com.example', { connection: redis, prefix });
    await queue.add('a', {});
    await queue.add('b', {});
    await queue.add('c', {}, { delay: 60_000 });
    const registry = new Registry();
    const depth = new QueueDepthMetrics({ registry });
    let names = ['push.apple.com.example'];
    depth.watch({ redis, prefix, queueNames: () => names });

    await registry.metrics();
    const counts = await gauge(registry, 'pushwire_queue_jobs');
    expect(counts).toMatchObject({
      'push.apple.com.example waiting': 2,
      'push.apple.com.example delayed': 1,
      'push.apple.com.example active': 0,
      'push.apple.com.example failed': 0,
    });
    expect(Object.keys(counts)).toHaveLength(7);
    expect(await gauge(registry, 'pushwire_queue_metrics_up')).toEqual({ '': 1 });

    // A reload added an app: its queue is counted from the next scrape on.
    names = [...names, 'push.firebase.com.example'];
    await registry.metrics();
    expect(await gauge(registry, 'pushwire_queue_jobs')).toMatchObject({ 'push.firebase.com.example waiting': 0 });
    await depth.close();
    await queue.close();
  });

  it('the first scrape already says up = 1 beside the counts it read', async () => {
    const name = `push.apple.com.first-${randomUUID()}`;
    const queue = new Queue(name, { connection: redis, prefix });
    await queue.add('a', {});
    const registry = new Registry();
    const depth = new QueueDepthMetrics({ registry });
    depth.watch({ redis, prefix, queueNames: () => [name] });
    const text = await registry.metrics();
    expect(text).toContain(`pushwire_queue_jobs{queue="${name}",state="waiting"} 1`);
    expect(text).toMatch(/^pushwire_queue_metrics_up 1$/m);
    await depth.close();
    await queue.close();
  });

  it('a Redis that is not connected gives up = 0 and no counts, at once', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: null });
    const registry = new Registry();
    const depth = new QueueDepthMetrics({ registry, timeoutMs: 200 });
    depth.watch({ redis: down, prefix, queueNames: () => ['push.apple.com.example'] });
    await registry.metrics();
    expect(await gauge(registry, 'pushwire_queue_metrics_up')).toEqual({ '': 0 });
    expect(await gauge(registry, 'pushwire_queue_jobs')).toEqual({});
    await depth.close();
    down.disconnect();
  });
});
