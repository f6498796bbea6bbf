// 10,000 callers waiting for sync answers at once cost Redis a bounded number of commands: one reader per
// process reads a bounded batch of stored results per tick, however many wait. Counted with INFO
// commandstats on a private Redis, so no other test's commands are counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../test/harness/redis-topologies.js';
import { jobKeyOf } from './result-channel.js';
import { ResultListener } from './result-listener.js';

const WAITERS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'pushwire-waiters-'));
let server: Awaited<ReturnType<typeof startPrivateRedis>>;
let redis: Redis;

beforeAll(async () => {
  server = await startPrivateRedis(dir);
  redis = new Redis(server.url);
}, 30_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls per command since the last CONFIG RESETSTAT (INFO itself excluded). */
async function commandCalls(): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/g)) {
    if (m[1] !== 'info') calls[m[1]!] = Number(m[2]);
  }
  return calls;
}

describe('sync waiters at scale', () => {
  it('10,000 concurrent waiters cost a bounded number of Redis commands per second', async () => {
    const listener = new ResultListener<{ code: number }>({
      redis,
      createSubscriber: () => new Redis(server.url),
      prefix: 'pwload',
      pollMs: 50,
    });
    await listener.start();
    const waiters = Array.from({ length: WAITERS }, (_, i) =>
      listener.wait(`job-${i}`, jobKeyOf('pwload', 'push.apple.test', `job-${i}`)),
    );
    const pending = waiters.map((w) => w.result(30_000));
    // Measured once every waiter made its first look (one read each: per request, not per second).
    const deadline = Date.now() + 20_000;
    while (((await commandCalls()).hget ?? 0) < WAITERS) {
      if (Date.now() > deadline) throw new Error('the waiters never made their first look');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await redis.config('RESETSTAT');
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const calls = await commandCalls();
    const seconds = (Date.now() - from) / 1000;
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    console.log(`${WAITERS} waiters over ${seconds.toFixed(2)} s: ${total} Redis commands (${JSON.stringify(calls)})`);
    // The reader: at most 64 reads per 50 ms tick, whatever the number of waiters (1,280/s); per-waiter polling
    // would be 10,000 reads per tick.
    expect(total / seconds).toBeLessThan(2_000);

    // Every waiter is then answered by its message.
    const publisher = new Redis(server.url);
    await Promise.all(
      waiters.map((_, i) =>
        publisher.publish(listener.channel, JSON.stringify({ jobId: `job-${i}`, value: { code: 200 } })),
      ),
    );
    publisher.disconnect();
    expect(await Promise.all(pending)).toEqual(waiters.map(() => ({ code: 200 })));
    expect(listener.waiting()).toBe(0);
    await listener.close();
  }, 60_000);
});
