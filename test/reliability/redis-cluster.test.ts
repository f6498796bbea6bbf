// Pushwire on a Redis Cluster: 3 primaries + 3 replicas started here; pushes (v1 sync and async,
// v2 fan-out) are delivered through it, and a manual CLUSTER FAILOVER of a primary under load loses nothing
// accepted. Each queue has a hash tag of its own, so the queues spread over the primaries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { clusterSupported, startCluster, type LocalCluster } from '../harness/redis-topologies.js';
import { pushThroughFailover } from './support/failover-load.js';
import { ResultChannel, ResultListener } from '@pushwire/queue';
import { connectRedis } from '@pushwire/redis';
import { appleToken, deliveredIds, messagePush, pushIdOf, SYLK_APP } from './support/pushes.js';
import { waitUntil } from './support/wait-until.js';

const supported = clusterSupported();
if (!supported) console.warn('redis-cluster: skipped, redis-cli is missing (it creates the cluster)');

const dir = mkdtempSync(join(tmpdir(), 'pushwire-cluster-'));
let cluster: LocalCluster;
let stack: Stack;
let client: Cluster;
beforeAll(async () => {
  if (!supported) return;
  cluster = await startCluster(dir);
  stack = await startStack({ server: { return_async: 'false' }, env: { REDIS_URL: cluster.url } });
  client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
}, 120_000);
afterAll(async () => {
  client?.disconnect();
  await stack?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!supported)('Redis Cluster', () => {
  it('keeps each queue in a slot of its own, spread over the primaries', async () => {
    expect(
      (
        await stack.post(
          '/push',
          messagePush({ platform: 'apple', token: appleToken(5, 1), id: 'cluster-first-apple' }),
        )
      ).status,
    ).toBe(202);
    expect(
      (
        await stack.post(
          '/push',
          messagePush({ platform: 'firebase', token: 'fcm-cluster-first', id: 'cluster-first-fcm' }),
        )
      ).status,
    ).toBe(202);
    const slotOf = async (key: string) => Number(await client.call('CLUSTER', 'KEYSLOT', key));
    const apple = `{pushwire:push.apple.${SYLK_APP}}:push.apple.${SYLK_APP}:id`;
    const fcm = `{pushwire:push.firebase.${SYLK_APP}}:push.firebase.${SYLK_APP}:id`;
    expect(await client.exists(apple)).toBe(1);
    expect(await client.exists(fcm)).toBe(1);
    expect(await slotOf(apple)).not.toBe(await slotOf(fcm));
  });

  it('stores v2 devices and fans a push out to them', async () => {
    const account = '/v2/tokens/carol@cluster.example';
    const add = (deviceId: string, platform: string, token: string) =>
      stack.post(account, { 'app-id': SYLK_APP, platform, token, 'device-id': deviceId });
    expect((await add('c-iphone', 'apple', `${appleToken(6, 1)}-${appleToken(6, 2)}`)).status).toBe(200);
    expect((await add('c-android', 'firebase', 'fcm-carol')).status).toBe(200);
    const res = await stack.post(`${account}/push`, {
      event: 'message',
      'call-id': 'cluster-v2',
      from: 'alice@example.com',
      to: 'carol@cluster.example',
      'media-type': 'sms',
      content: 'hi',
    });
    expect(res.status).toBe(202);
    await waitUntil(() => deliveredIds(stack.sandbox).get('cluster-v2') === 2, { timeoutMs: 20_000 });
    const tokens = [...stack.sandbox.apns.requests, ...stack.sandbox.fcm.requests]
      .filter((r) => pushIdOf(r.json) === 'cluster-v2')
      .map((r) => r.token)
      .sort();
    expect(tokens).toEqual([appleToken(6, 2), 'fcm-carol'].sort());
  });

  it('honours an Idempotency-Key on the cluster: a repeat answers the first answer and is not sent; another request is 422', async () => {
    const body = messagePush({ platform: 'apple', token: appleToken(5, 2), id: 'cluster-keyed' });
    const init = { headers: { 'content-type': 'application/json', 'idempotency-key': 'cluster-keyed' } };
    const first = await stack.post('/push', body, init);
    const again = await stack.post('/push', body, init);
    expect(first.status).toBe(202);
    expect([again.status, again.text]).toEqual([first.status, first.text]);
    expect((await stack.post('/push', { ...body, badge: 9 }, init)).status).toBe(422);
    // The record and the index share one slot (each script touches both).
    const index = await client.exists('pushwire:idempotency:{pushwire:idempotency}:index');
    expect(index).toBe(1);
    await waitUntil(() => deliveredIds(stack.sandbox).get('cluster-keyed') === 1, { timeoutMs: 20_000 });
    expect(deliveredIds(stack.sandbox).get('cluster-keyed')).toBe(1);
  });

  it('answers sync callers through a result channel on the cluster', async () => {
    const prefix = `pwtest-${Date.now()}`;
    const redis = connectRedis(cluster.url, { maxRetriesPerRequest: 1 });
    const listener = new ResultListener<{ code: number }>({
      redis,
      createSubscriber: () => connectRedis(cluster.url, { maxRetriesPerRequest: null }),
      prefix,
      pollMs: 60_000,
    });
    try {
      await listener.start();
      expect(listener.state()).toBe('subscribed');
      const jobKey = `{${prefix}:q}:q:job-1`;
      const pending = listener.wait('job-1', jobKey).result(10_000);
      await new ResultChannel<{ code: number }>(redis, { prefix }).publish(
        { jobId: 'job-1', jobKey },
        { code: 200 },
        listener.instanceId,
      );
      expect(await pending).toEqual({ code: 200 });
    } finally {
      await listener.close();
      redis.disconnect();
    }
  });

  it('delivers every accepted push across a manual failover of a primary under load', async () => {
    // The primary serving the Apple queue's slot: the failover really moves a busy queue.
    const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `{pushwire:push.apple.${SYLK_APP}}`));
    const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const victim = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
    const result = await pushThroughFailover(stack, {
      total: 1500,
      tag: 'cluster',
      failoverAfter: 300,
      failover: async () => {
        await cluster.failover(victim!);
      },
    });
    expect(await cluster.primaries()).not.toContain(victim);
    console.log(
      `redis-cluster: ${JSON.stringify({ refused_during_failover: result.refused, duplicates: result.duplicates })}`,
    );
    expect(result.ids.every((id) => result.delivered.has(id))).toBe(true);
    expect(result.duplicates).toBeLessThanOrEqual(100);
  });
});
