// Call histories are bounded by the job retention: 5,000 pushes of 30 KB with retention_jobs = 1000 leave
// Redis well under 60 MB above where it started and at most ~1,000–2,000 histories, while every push still
// kept is readable with its whole request. A private Redis, so its memory is this test's alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSylkDefaults, type PushRequest } from '@pushwire/core';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../test/harness/redis-topologies.js';
import { CallHistory } from './call-history.js';
import { buildPushViews } from './call-history-view.js';
import { uniqueJobId } from './job-id.js';
import { pushJobOptions, type PushJobData } from './push-job.js';

const PUSHES = 5000;
const RETENTION_JOBS = 1000;
const CONTENT = 'x'.repeat(30 * 1024);
const QUEUE = 'push.firebase.com.example.sylk';
const prefix = 'pwbounds';
const dir = mkdtempSync(join(tmpdir(), 'pushwire-history-bounds-'));
let server: Awaited<ReturnType<typeof startPrivateRedis>>;
let redis: Redis;

beforeAll(async () => {
  server = await startPrivateRedis(dir);
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
}, 30_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

async function countKeys(pattern: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

describe('call history bounds', () => {
  it('keeps about retention_jobs histories and stores each request once, in its job', async () => {
    const retention = { ageMs: 7 * 86_400_000, count: RETENTION_JOBS };
    const history = new CallHistory(redis, {
      prefix,
      ttlMs: retention.ageMs,
      recentCalls: RETENTION_JOBS,
      pruneIntervalMs: 20,
    });
    const queue = new Queue<PushJobData>(QUEUE, { connection: redis, prefix });
    const worker = new Worker<PushJobData>(
      QUEUE,
      async (job) => {
        const common = { jobId: job.id!, queue: QUEUE, attempt: 1, code: 200, reason: '' };
        await history.settled(
          job.data.request.callId,
          { ...common, at: Date.now(), sent: true, outcome: 'delivered', retryAfterMs: null, policy: null },
          { ...common, at: Date.now(), outcome: 'delivered' },
        );
        return { code: 200 };
      },
      { connection: new Redis(server.url, { maxRetriesPerRequest: null }), prefix, concurrency: 50, autorun: false },
    );
    await queue.waitUntilReady();
    const before = await usedMemory();

    const requests: PushRequest[] = [];
    for (let i = 0; i < PUSHES; i += 100) {
      const batch = Array.from({ length: 100 }, (_, k) =>
        withSylkDefaults({
          appId: 'com.example.sylk',
          platform: 'firebase',
          token: `tok-${i + k}`,
          event: 'message',
          callId: `call-${i + k}@example.com`,
          from: 'a@x',
          to: 'b@x',
          content: CONTENT,
        }),
      );
      requests.push(...batch);
      const jobs = batch.map((request) => ({
        jobId: uniqueJobId('v1'),
        data: { request, requestId: `message-x-${request.callId}`, acceptedAt: Date.now() },
      }));
      await queue.addBulk(
        jobs.map((j) => ({
          name: j.data.request.callId,
          data: j.data,
          opts: pushJobOptions({ jobId: j.jobId, mediaType: null, retryBaseMs: 10, retention }),
        })),
      );
      await history.accepted(
        jobs.map((j) => ({
          jobId: j.jobId,
          queue: QUEUE,
          api: 'v1',
          request: j.data.request,
          acceptedAt: j.data.acceptedAt,
        })),
      );
    }
    let done = 0;
    const allDone = new Promise<void>((resolve) => worker.on('completed', () => ++done === PUSHES && resolve()));
    void worker.run();
    await allDone;
    await worker.close();
    await history.pruned();

    const grown = (await usedMemory()) - before;
    const histories = await countKeys(`${prefix}:call:*`);
    const indexed = await redis.zcard(history.indexKey);
    // Measured for the README's Sizing: bytes per kept push (job with its 30 KB request, history, index).
    console.log(
      `call history bounds: ${PUSHES} pushes of 30 KB, retention_jobs ${RETENTION_JOBS}: Redis +${(grown / 1e6).toFixed(1)} MB, ${histories} histories, ${indexed} indexed`,
    );
    expect(grown).toBeLessThan(45e6);
    expect(histories).toBeLessThanOrEqual(2 * RETENTION_JOBS);
    expect(histories).toBeGreaterThanOrEqual(RETENTION_JOBS);
    expect(indexed).toBeLessThanOrEqual(2 * RETENTION_JOBS);

    // The newest push is kept: its history shows the whole request from the job; the first one is gone.
    const last = requests[requests.length - 1]!;
    const [push] = buildPushViews(await history.read(last.callId), '/admin');
    expect(push).toMatchObject({ status: 'delivered', request: { content: CONTENT, 'call-id': last.callId } });
    expect(await history.read(requests[0]!.callId)).toEqual([]);
    // The stored record itself holds a trimmed copy only.
    const stored = (await redis.lrange(history.key(last.callId), 0, -1)).join('');
    expect(stored.length).toBeLessThan(2000);
    await history.close();
    await queue.close();
  }, 120_000);
});
