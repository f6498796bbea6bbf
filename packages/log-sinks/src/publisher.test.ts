import { createServer, type AddressInfo } from 'node:net';
import { ManualClock } from '@pushwire/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogSinkPublisher, LogSinkPublishError } from './publisher.js';
import { sylkTimestamp } from './sink-payload.js';
import {
  SINK_BACKOFF_TYPE,
  SINK_JOB_ATTEMPTS_CEILING,
  sinkQueueName,
  type LogSinkApp,
  type SinkJobData,
} from './sink-queue.js';
import { deletePrefix, testRedis, uniquePrefix } from './test-support/redis-fixture.js';
import { APNS_JWT, sampleInput } from './test-support/sample-record.js';

function app(urls: string[], appId = 'com.example.sylk'): LogSinkApp {
  return { appId, platform: 'apple', logRemote: { urls, key: null, timeoutMs: 2000 } };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sinkQueueName', () => {
  it('names the queue sink.<app-id>.<platform>, without the ":" BullMQ uses as separator', () => {
    expect(sinkQueueName('com.example.sylk', 'apple')).toBe('sink.com.example.sylk.apple');
    expect(sinkQueueName('odd:app', 'firebase')).toBe('sink.odd_app.firebase');
  });
});

describe('LogSinkPublisher', () => {
  let redis: Redis;
  let prefix: string;
  let publisher: LogSinkPublisher | undefined;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('pub');
  });
  afterEach(async () => {
    await publisher?.close();
    publisher = undefined;
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('queues one redacted job per URL, naming the sink but never holding its URL, with no sink or worker running', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const urls = [
      'http://logger:pw-secret@sink-a.invalid/log',
      'http://sink-b.invalid/log?api_key=k-secret&stream=push',
    ];
    publisher = new LogSinkPublisher({ redis, prefix, apps: [app(urls)], clock, serverIp: '192.0.2.7' });
    const input = sampleInput();
    await publisher.publish(input);

    const queue = new Queue<SinkJobData>(sinkQueueName('com.example.sylk', 'apple'), { connection: redis, prefix });
    const jobs = await queue.getJobs(['wait', 'delayed', 'active', 'completed', 'failed']);
    await queue.close();
    expect(jobs.map((j) => j.data.sink).sort((a, b) => a.index - b.index)).toEqual([
      { appId: 'com.example.sylk', platform: 'apple', index: 0, shown: 'http://logger:[redacted]@sink-a.invalid/log' },
      {
        appId: 'com.example.sylk',
        platform: 'apple',
        index: 1,
        shown: 'http://sink-b.invalid/log?api_key=[redacted]&stream=push',
      },
    ]);
    for (const job of jobs) {
      expect(job.name).toBe(input.requestId);
      expect(job.data.requestId).toBe(input.requestId);
      expect(job.opts.attempts).toBe(SINK_JOB_ATTEMPTS_CEILING);
      expect(job.opts.backoff).toEqual({ type: SINK_BACKOFF_TYPE });
      expect(job.data.payload.timestamp).toBe(sylkTimestamp(clock.now()));
      expect(job.data.payload.server_ip).toBe('192.0.2.7');
      expect(job.data.payload.request.outgoing_headers.authorization).toBe('[redacted]');
      // What sits in Redis (and on the board) never held the credential.
      const raw = await redis.hget(`${prefix}:${queue.name}:${job.id}`, 'data');
      expect(raw).toContain('call-1@example.com');
      expect(raw).not.toContain(APNS_JWT);
      expect(raw).not.toMatch(/pw-secret|k-secret/);
    }
  });

  it('does nothing for an app without URLs or an app it does not know', async () => {
    publisher = new LogSinkPublisher({ redis, prefix, apps: [app([])], serverIp: '192.0.2.7' });
    await publisher.publish(sampleInput());
    await publisher.publish(sampleInput({ appId: 'com.example.unknown' }));
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    expect(publisher.hasSinks('com.example.sylk', 'apple')).toBe(false);
    expect(publisher.hasSinks('com.example.unknown', 'apple')).toBe(false);
  });

  it('says which apps have sinks, so a worker builds records only for them', async () => {
    publisher = new LogSinkPublisher({
      redis,
      prefix,
      apps: [app(['http://sink-a.invalid/log'])],
      serverIp: '192.0.2.7',
    });
    expect(publisher.hasSinks('com.example.sylk', 'apple')).toBe(true);
    expect(publisher.hasSinks('com.example.sylk', 'firebase')).toBe(false);
  });

  it('discovers server_ip itself when not given', async () => {
    publisher = new LogSinkPublisher({ redis, prefix, apps: [app(['http://sink.invalid/'])] });
    await publisher.publish(sampleInput());
    const queue = new Queue<SinkJobData>(sinkQueueName('com.example.sylk', 'apple'), { connection: redis, prefix });
    const [job] = await queue.getJobs(['wait']);
    await queue.close();
    expect(job?.data.payload.server_ip).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
  });

  it('rejects within its timeout when Redis does not answer, instead of hanging the caller', async () => {
    const port = await freePort();
    const deadRedis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    deadRedis.on('error', () => undefined);
    const dead = new LogSinkPublisher({
      redis: deadRedis,
      prefix,
      apps: [app(['http://sink.invalid/'])],
      serverIp: '192.0.2.7',
      addTimeoutMs: 200,
    });
    try {
      const error = await dead.publish(sampleInput()).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(LogSinkPublishError);
      expect((error as LogSinkPublishError).requestId).toBe('incoming_session-com.example.sylk-call-1@example.com');
      expect((error as Error).message).toContain('within 200 ms');
    } finally {
      await dead.close();
      deadRedis.disconnect();
    }
  });

  it('refuses to publish once closed', async () => {
    publisher = new LogSinkPublisher({ redis, prefix, apps: [app(['http://sink.invalid/'])], serverIp: '192.0.2.7' });
    await publisher.close();
    await expect(publisher.publish(sampleInput())).rejects.toBeInstanceOf(LogSinkPublishError);
  });
});
