// Rolling upgrade: ingest stamps each job with its data format (`v`); a worker of this release delivers a job
// the previous release wrote (a real job hash without `v`, inserted into Redis as BullMQ stores it) and fails a
// job of an unknown future format with a clear reason instead of misreading it.
import { readFileSync } from 'node:fs';
import { PUSH_JOB_FORMAT } from '@pushwire/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJobId } from '../harness/find-job.js';
import { startStack, type Stack } from '../harness/index.js';

interface JobFixture {
  queue: string;
  jobId: string;
  hash: Record<string, string>;
}
const FORMAT_1: JobFixture = JSON.parse(
  readFileSync(new URL('../fixtures/push-job-format-1.json', import.meta.url), 'utf8'),
);
const PREFIX = 'pushwire';

let stack: Stack;
let redis: Redis;
let queue: Queue;
beforeAll(async () => {
  stack = await startStack();
  redis = new Redis(stack.redis.url);
  queue = new Queue(FORMAT_1.queue, { connection: redis, prefix: PREFIX });
});
afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await stack?.close();
});

/**
 * Puts a job into Redis exactly as BullMQ's addStandardJob script leaves it: the job hash, its id on the
 * wait list, and the marker that wakes blocked workers. No BullMQ code of this release writes it.
 */
async function insertRawJob(jobId: string, hash: Record<string, string>): Promise<void> {
  const base = `${PREFIX}:${FORMAT_1.queue}`;
  await redis.multi().hset(`${base}:${jobId}`, hash).lpush(`${base}:wait`, jobId).zadd(`${base}:marker`, 0, '0').exec();
}

async function settled(jobId: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dataOf = (hash: Record<string, string>) =>
  JSON.parse(hash.data ?? '{}') as { v?: number; request: { token: string; callId: string } };

describe('job data format (rolling upgrade)', () => {
  it('the fixture is the previous release’s shape: no format version', () => {
    expect(dataOf(FORMAT_1.hash).v).toBeUndefined();
    expect(Object.keys(FORMAT_1.hash).sort()).toEqual(['data', 'delay', 'name', 'opts', 'priority', 'timestamp']);
  });

  it('delivers a job the previous release wrote (no `v`), as it would have been sent', async () => {
    const { request } = dataOf(FORMAT_1.hash);
    await insertRawJob(FORMAT_1.jobId, FORMAT_1.hash);
    expect(await settled(FORMAT_1.jobId)).toBe('completed');
    const sent = stack.sandbox.apns.requests.filter((r) => r.token === request.token);
    expect(
      sent.map((r) => [r.status, (r.json as { data?: { message_id?: string } } | null)?.data?.message_id]),
    ).toEqual([[200, request.callId]]);
    expect(sent[0]?.json).toMatchObject({ aps: { badge: 3 } });
  });

  it('fails a job of an unknown future format with a clear reason, sending nothing', async () => {
    const token = 'f1'.repeat(32);
    const data = dataOf(FORMAT_1.hash);
    const future = { ...data, v: PUSH_JOB_FORMAT + 1, request: { ...data.request, token } };
    const jobId = 'v9-future-format';
    await insertRawJob(jobId, {
      ...FORMAT_1.hash,
      data: JSON.stringify(future),
      opts: FORMAT_1.hash.opts!.replace(FORMAT_1.jobId, jobId),
    });
    expect(await settled(jobId)).toBe('failed');
    const job = await queue.getJob(jobId);
    expect(job?.failedReason).toBe(
      `job data format v${PUSH_JOB_FORMAT + 1} is newer than this worker reads (v1 to v${PUSH_JOB_FORMAT}): upgrade the workers before ingest`,
    );
    // Failed for good at once: no retries of something it cannot read.
    expect(job?.attemptsMade).toBe(1);
    expect(stack.sandbox.apns.requests.filter((r) => r.token === token)).toEqual([]);
    await stack.workers[0]!.waitFor('"event":"job-format"');
  });

  it(`ingest writes the current format (v${PUSH_JOB_FORMAT})`, async () => {
    const token = 'f2'.repeat(32);
    const res = await stack.post('/push', {
      'app-id': 'com.pushwire.sandbox.sylk.dev',
      platform: 'apple',
      token,
      event: 'message',
      'call-id': 'format-now',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'chat',
      silent: true,
      content: 'hi',
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(200);
    const jobId = await findJobId(redis, PREFIX, FORMAT_1.queue, { callId: 'format-now', token });
    expect(jobId).not.toBeNull();
    expect(dataOf(await redis.hgetall(`${PREFIX}:${FORMAT_1.queue}:${jobId}`)).v).toBe(PUSH_JOB_FORMAT);
  });
});
