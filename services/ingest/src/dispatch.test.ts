// Ingest's part of the delivery policy, in process: deadlines stamped on jobs, cancel markers set before the
// cancel is queued (v1 and v2), admission control refusing before anything is accepted.
import type { Platform } from '@pushwire/core';
import {
  createIngestPolicy,
  type Admission,
  type CallScope,
  type IngestPolicy,
  type PushJobData,
} from '@pushwire/queue';
import { createProducerRedis } from '@pushwire/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIngest } from './test-support/ingest-app.js';

interface Recorded {
  steps: string[];
  jobs: PushJobData[];
  marks: { scopes: CallScope[]; ttlMs: number; cancelledAt: number }[];
  queued: string[];
}

function spyPolicy(
  recorded: Recorded,
  options: { admit?: (appId: string, platform: Platform) => Admission; markFails?: boolean } = {},
): IngestPolicy {
  return {
    callDeadlineMs: (appId) => (appId === 'com.example.sylk' ? 5_000 : 60_000),
    cancelMarkTtlMs: () => 10_000,
    async markCancelled(scopes, ttlMs, cancelledAt) {
      recorded.steps.push('mark');
      if (options.markFails) throw new Error('redis gone');
      recorded.marks.push({ scopes: [...scopes], ttlMs, cancelledAt });
      return [];
    },
    admit: async (appId, platform) => options.admit?.(appId, platform) ?? { admitted: true },
    noteQueued: (appId, platform) => recorded.queued.push(`${appId}/${platform}`),
    close: async () => undefined,
  };
}

async function setup(options: Parameters<typeof spyPolicy>[1] = {}) {
  const recorded: Recorded = { steps: [], jobs: [], marks: [], queued: [] };
  const ingest = await createTestIngest({
    policy: spyPolicy(recorded, options),
    producer: {
      async enqueue(_jobId, data) {
        recorded.steps.push('enqueue');
        recorded.jobs.push(data);
      },
    },
  });
  return { ingest, recorded };
}

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const v1 = (event: string, extra: Record<string, unknown> = {}) => ({
  'app-id': 'com.example.sylk',
  platform: 'apple',
  token: 'a'.repeat(64),
  event,
  'call-id': 'call:1@host',
  from: 'a@x',
  to: 'b@x',
  silent: true,
  ...(event === 'cancel' ? {} : { 'media-type': 'audio' }),
  ...extra,
});

async function post(app: Awaited<ReturnType<typeof createTestIngest>>['app'], path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('dispatch with a delivery policy', () => {
  it('stamps the app’s call deadline on wake-ups and cancels, none on messages', async () => {
    const { ingest, recorded } = await setup();
    closers.push(() => ingest.close());
    for (const event of ['incoming_session', 'cancel', 'message'])
      expect((await post(ingest.app, '/push', v1(event))).status).toBe(202);
    const [invite, cancel, message] = recorded.jobs;
    expect(invite!.deadlineAt).toBe(invite!.acceptedAt + 5_000);
    expect(cancel!.deadlineAt).toBe(cancel!.acceptedAt + 5_000);
    expect(message!.deadlineAt).toBeUndefined();
    expect(recorded.queued).toEqual(['com.example.sylk/apple', 'com.example.sylk/apple', 'com.example.sylk/apple']);
  });

  it('marks a v1 cancel’s call (and device, when it names one) before queueing the cancel', async () => {
    const { ingest, recorded } = await setup();
    closers.push(() => ingest.close());
    expect((await post(ingest.app, '/push', v1('cancel'))).status).toBe(202);
    expect((await post(ingest.app, '/push', v1('cancel', { 'device-id': 'phone-1' }))).status).toBe(202);
    expect(recorded.steps).toEqual(['mark', 'enqueue', 'mark', 'enqueue']);
    expect(recorded.marks).toEqual([
      {
        scopes: [{ appId: 'com.example.sylk', callId: 'call:1@host', deviceId: null }],
        ttlMs: 10_000,
        cancelledAt: recorded.jobs[0]!.acceptedAt,
      },
      {
        scopes: [{ appId: 'com.example.sylk', callId: 'call:1@host', deviceId: 'phone-1' }],
        ttlMs: 10_000,
        cancelledAt: recorded.jobs[1]!.acceptedAt,
      },
    ]);
  });

  it('marks every device of a v2 cancel, each with its app-id and device-id', async () => {
    const { ingest, recorded } = await setup();
    closers.push(() => ingest.close());
    const device = (id: string, platform: string, token: string) => ({
      'app-id': 'com.example.sylk',
      platform,
      token,
      'device-id': id,
    });
    expect(
      (
        await post(
          ingest.app,
          '/v2/tokens/alice@example.com',
          device('d1', 'apple', `${'a'.repeat(64)}-${'b'.repeat(64)}`),
        )
      ).status,
    ).toBe(200);
    expect((await post(ingest.app, '/v2/tokens/alice@example.com', device('d2', 'firebase', 'fcm-token'))).status).toBe(
      200,
    );
    const cancel = { event: 'cancel', 'call-id': 'c-v2', from: 'a@x', to: 'b@x', reason: 'hangup' };
    expect((await post(ingest.app, '/v2/tokens/alice@example.com/push', cancel)).status).toBe(202);
    expect(recorded.steps).toEqual(['mark', 'enqueue', 'enqueue']);
    expect(recorded.marks[0]!.scopes).toEqual(
      expect.arrayContaining([
        { appId: 'com.example.sylk', callId: 'c-v2', deviceId: 'd1' },
        { appId: 'com.example.sylk', callId: 'c-v2', deviceId: 'd2' },
      ]),
    );
  });

  it('answers 503 queue full and queues nothing when admission control refuses', async () => {
    const { ingest, recorded } = await setup({
      admit: (appId, platform) => ({ admitted: false, queue: `push.${platform}.${appId}`, depth: 7, maxDepth: 7 }),
    });
    closers.push(() => ingest.close());
    expect(await post(ingest.app, '/push', v1('cancel'))).toEqual({
      status: 503,
      json: {
        code: 503,
        description:
          'queue full: push.apple.com.example.sylk holds 7 waiting or delayed pushes (PUSHWIRE_MAX_QUEUE_DEPTH=7), retry later',
        data: {},
      },
    });
    expect(recorded.steps).toEqual([]);
    expect(ingest.logLines.some((l) => l.includes('"event":"queue-full"'))).toBe(true);
  });

  it('answers 503 and does not queue the cancel when its marker could not be stored', async () => {
    const { ingest, recorded } = await setup({ markFails: true });
    closers.push(() => ingest.close());
    expect(await post(ingest.app, '/push', v1('cancel'))).toMatchObject({ status: 503, json: { code: 503 } });
    expect(recorded.steps).toEqual(['mark']);
  });

  it('counts every device of a v2 push against PUSHWIRE_MAX_QUEUE_DEPTH, on real admission control', async () => {
    const redis = createProducerRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    const queued: PushJobData[] = [];
    const ingest = await createTestIngest({ producer: { enqueue: async (_id, data) => void queued.push(data) } });
    const policy = createIngestPolicy({ redis, prefix: ingest.prefix, apps: [], maxQueueDepth: 3 });
    const settings = ingest.settingsHolder;
    await settings.swap({ ...settings.get(), policy });
    closers.push(async () => {
      await ingest.close();
      await policy.close();
      redis.disconnect();
    });
    for (let i = 1; i <= 4; i += 1) {
      const body = { 'app-id': 'com.example.sylk', platform: 'firebase', token: `fcm-${i}`, 'device-id': `d${i}` };
      expect((await post(ingest.app, '/v2/tokens/many@example.com', body)).status).toBe(200);
    }
    // An empty queue, but four jobs would make it hold more than three.
    const push = { event: 'message', 'call-id': 'fan-out', from: 'a@x', to: 'b@x', 'media-type': 'sms' };
    const refused = await post(ingest.app, '/v2/tokens/many@example.com/push', push);
    expect(refused).toMatchObject({
      status: 503,
      json: {
        code: 503,
        description: expect.stringMatching(
          /^queue full: push\.firebase\.com\.example\.sylk holds 0 waiting or delayed pushes and this push would add 4 \(PUSHWIRE_MAX_QUEUE_DEPTH=3\)/,
        ),
      },
    });
    expect(queued).toEqual([]);
    // Three devices fit.
    expect(
      (
        await ingest.app.request('/v2/tokens/many@example.com', {
          method: 'DELETE',
          body: JSON.stringify({ 'app-id': 'com.example.sylk', 'device-id': 'd4' }),
        })
      ).status,
    ).toBe(200);
    expect((await post(ingest.app, '/v2/tokens/many@example.com/push', push)).status).toBe(202);
    expect(queued).toHaveLength(3);
  });
});
