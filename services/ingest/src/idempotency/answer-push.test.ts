import type { PushResult } from '@pushwire/core';
import { jobKeyOf, pushQueueName, ResultChannel, type PushJobData } from '@pushwire/queue';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestDeps } from '../ingest-deps.js';
import { PushProducer } from '../push-producer.js';
import { createTestIngest, type TestIngestOverrides } from '../test-support/ingest-app.js';

const APP = 'com.example.sylk';
const call = (id: string, extra: Record<string, unknown> = {}) => ({
  'app-id': APP,
  platform: 'apple',
  token: 'a'.repeat(64),
  event: 'incoming_session',
  'call-id': id,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
  ...extra,
});

type Ingest = Awaited<ReturnType<typeof createTestIngest>>;
const opened: Ingest[] = [];
afterAll(async () => {
  for (const ingest of opened) await ingest.close();
});

async function open(overrides: TestIngestOverrides = {}): Promise<Ingest> {
  const ingest = await createTestIngest({
    clientAddress: (c) => c.req.header('x-test-peer') ?? '127.0.0.1',
    ...overrides,
  });
  opened.push(ingest);
  return ingest;
}

async function post(ingest: Ingest, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await ingest.app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function jobsNamed(ingest: Ingest, callId: string, platform: 'apple' | 'firebase' = 'apple') {
  const queue = new Queue<PushJobData>(pushQueueName(APP, platform), {
    connection: ingest.redis,
    prefix: ingest.prefix,
  });
  return (await queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.name === callId);
}

const key = (k: string) => ({ 'idempotency-key': k });

describe('without Idempotency-Key', () => {
  it('queues every accepted request, v1 and v2, as a new push with a job id of its own', async () => {
    const ingest = await open();
    expect((await post(ingest, '/push', call('plain-1'))).status).toBe(202);
    expect((await post(ingest, '/push', call('plain-1'))).status).toBe(202);
    const v1 = await jobsNamed(ingest, 'plain-1');
    expect(v1).toHaveLength(2);
    expect(v1[0]!.id).not.toBe(v1[1]!.id);
    expect(v1.map((j) => j.id)).toEqual([
      expect.stringMatching(/^v1-[0-9a-f]{40}$/),
      expect.stringMatching(/^v1-[0-9a-f]{40}$/),
    ]);

    await post(ingest, '/v2/tokens/carol@example.com', {
      'app-id': APP,
      platform: 'apple',
      token: 'c'.repeat(64),
      'device-id': 'd1',
    });
    const v2 = {
      event: 'message',
      'call-id': 'plain-2',
      from: 'a@x',
      to: 'carol@example.com',
      'media-type': 'sms',
      content: 'hi',
    };
    expect((await post(ingest, '/v2/tokens/carol@example.com/push', v2)).status).toBe(202);
    expect((await post(ingest, '/v2/tokens/carol@example.com/push', v2)).status).toBe(202);
    expect(await jobsNamed(ingest, 'plain-2')).toHaveLength(2);
  });
});

describe('with Idempotency-Key', () => {
  it('answers a repeat with the first answer, byte for byte, and queues nothing more', async () => {
    const ingest = await open();
    const first = await post(ingest, '/push', call('keyed-1'), key('k-1'));
    const again = await post(ingest, '/push', call('keyed-1'), key('k-1'));
    expect(first.status).toBe(202);
    expect([again.status, again.text]).toEqual([first.status, first.text]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await jobsNamed(ingest, 'keyed-1')).toHaveLength(1);
  });

  it('treats the same request written differently (aliases, coercions, key order) as the same request', async () => {
    const ingest = await open();
    const first = await post(ingest, '/push', call('keyed-2'), key('k-2'));
    const written = Object.fromEntries(Object.entries(call('keyed-2', { platform: 'ios', silent: '1' })).reverse());
    const again = await post(ingest, '/push', written, key('"k-2"'));
    expect([again.status, again.text]).toEqual([first.status, first.text]);
    expect(await jobsNamed(ingest, 'keyed-2')).toHaveLength(1);
  });

  it('answers 422 in the envelope, sending nothing, for another request under the same key (v1 and v2)', async () => {
    const ingest = await open();
    expect((await post(ingest, '/push', call('keyed-3'), key('k-3'))).status).toBe(202);
    const other = await post(ingest, '/push', call('keyed-3', { 'media-type': 'video' }), key('k-3'));
    expect(other.status).toBe(422);
    expect(JSON.parse(other.text)).toEqual({
      code: 422,
      description: 'Idempotency-Key was already used for another request: send a new key for a new push',
      data: {},
    });
    expect(await jobsNamed(ingest, 'keyed-3')).toHaveLength(1);

    await post(ingest, '/v2/tokens/dave@example.com', {
      'app-id': APP,
      platform: 'apple',
      token: 'd'.repeat(64),
      'device-id': 'd1',
    });
    const v2 = {
      event: 'message',
      'call-id': 'keyed-4',
      from: 'a@x',
      to: 'dave@example.com',
      'media-type': 'sms',
      content: 'hi',
    };
    const firstV2 = await post(ingest, '/v2/tokens/dave@example.com/push', v2, key('k-4'));
    expect((await post(ingest, '/v2/tokens/dave@example.com/push', v2, key('k-4'))).text).toBe(firstV2.text);
    expect(
      (await post(ingest, '/v2/tokens/dave@example.com/push', { ...v2, content: 'other' }, key('k-4'))).status,
    ).toBe(422);
    expect((await post(ingest, '/v2/tokens/dave@example.com/push/d1', v2, key('k-4'))).status).toBe(422);
    expect(await jobsNamed(ingest, 'keyed-4')).toHaveLength(1);
  });

  it('keeps keys private to a caller (client address) and a route', async () => {
    const ingest = await open();
    expect((await post(ingest, '/push', call('keyed-5'), { ...key('shared'), 'x-test-peer': '10.0.0.1' })).status).toBe(
      202,
    );
    expect((await post(ingest, '/push', call('keyed-5'), { ...key('shared'), 'x-test-peer': '10.0.0.2' })).status).toBe(
      202,
    );
    expect(await jobsNamed(ingest, 'keyed-5')).toHaveLength(2);
    // The same key on the v2 route is another key: it does not answer 422 for the v1 request above.
    await post(ingest, '/v2/tokens/erin@example.com', {
      'app-id': APP,
      platform: 'apple',
      token: 'e'.repeat(64),
      'device-id': 'd1',
    });
    const v2 = {
      event: 'message',
      'call-id': 'keyed-5',
      from: 'a@x',
      to: 'erin@example.com',
      'media-type': 'sms',
      content: 'hi',
    };
    expect(
      (await post(ingest, '/v2/tokens/erin@example.com/push', v2, { ...key('shared'), 'x-test-peer': '10.0.0.1' }))
        .status,
    ).toBe(202);
  });

  it('answers 409 while the first request is still being accepted, then the first answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const enqueued = new Promise<void>((resolve) => (entered = resolve));
    const holder: { real?: IngestDeps['producer'] } = {};
    const ingest = await open({
      producer: {
        async enqueue(jobId, data) {
          entered();
          await gate;
          await holder.real!.enqueue(jobId, data);
        },
      },
    });
    const real = new PushProducer({ redis: ingest.redis, prefix: ingest.prefix, retryBaseMs: 500 });
    holder.real = real;
    const first = post(ingest, '/push', call('keyed-6'), key('k-6'));
    await enqueued;
    const during = await post(ingest, '/push', call('keyed-6'), key('k-6'));
    expect(during.status).toBe(409);
    expect(during.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(during.text)).toMatchObject({ code: 409, data: {} });
    release();
    const answered = await first;
    expect(answered.status).toBe(202);
    expect((await post(ingest, '/push', call('keyed-6'), key('k-6'))).text).toBe(answered.text);
    expect(await jobsNamed(ingest, 'keyed-6')).toHaveLength(1);
    await real.close();
  });

  it('frees the key when nothing was accepted (503): a repeat is accepted, once', async () => {
    let failures = 1;
    const holder: { real?: IngestDeps['producer'] } = {};
    const ingest = await open({
      producer: {
        async enqueue(jobId, data) {
          if (failures-- > 0) throw new Error('redis said no');
          await holder.real!.enqueue(jobId, data);
        },
      },
    });
    const real = new PushProducer({ redis: ingest.redis, prefix: ingest.prefix, retryBaseMs: 500 });
    holder.real = real;
    expect((await post(ingest, '/push', call('keyed-7'), key('k-7'))).status).toBe(503);
    expect((await post(ingest, '/push', call('keyed-7'), key('k-7'))).status).toBe(202);
    expect((await post(ingest, '/push', call('keyed-7'), key('k-7'))).status).toBe(202);
    expect(await jobsNamed(ingest, 'keyed-7')).toHaveLength(1);
    await real.close();
  });

  it("makes a sync repeat wait for the first request's result, and both answer it", async () => {
    const ingest = await open({ returnAsync: true, syncWaitMs: 30_000 });
    const first = post(ingest, '/push', call('keyed-8'), key('k-8'));
    // The first request's job is queued and its record says so: a repeat now waits rather than 409.
    const recordState = async () => {
      const keys = (await ingest.redis.keys(`${ingest.prefix}:idempotency:*`)).filter((k) => !k.endsWith(':index'));
      const records = await Promise.all(keys.map((k) => ingest.redis.get(k)));
      return (
        records.map((r) => (r === null ? null : (JSON.parse(r) as { s: string }).s)).find((s) => s !== null) ?? null
      );
    };
    while ((await recordState()) !== 'accepted') await new Promise((r) => setTimeout(r, 10));
    const repeat = post(ingest, '/push', call('keyed-8'), key('k-8'));
    const [job] = await jobsNamed(ingest, 'keyed-8');
    const result: PushResult = {
      code: 200,
      reason: '',
      body: {},
      url: 'https://apns/3/device/x',
      platform: 'apple',
      call_id: 'keyed-8',
      token: 'a'.repeat(64),
    } as PushResult;
    const channel = new ResultChannel<PushResult>(ingest.redis, { prefix: ingest.prefix });
    await channel.publish(
      { jobId: job!.id!, jobKey: jobKeyOf(ingest.prefix, pushQueueName(APP, 'apple'), job!.id!) },
      result,
      job!.data.replyTo,
    );
    const [a, b] = await Promise.all([first, repeat]);
    expect(a.status).toBe(200);
    expect([b.status, b.text]).toEqual([a.status, a.text]);
    expect(JSON.parse(a.text)).toMatchObject({
      code: 200,
      description: 'push notification response',
      data: { call_id: 'keyed-8' },
    });
    expect(await jobsNamed(ingest, 'keyed-8')).toHaveLength(1);
  });

  it('bounds the keys kept: past PUSHWIRE_IDEMPOTENCY_MAX_KEYS a new key is refused (503, Retry-After), known keys still answer', async () => {
    const ingest = await open({ idempotencyMaxKeys: 2 });
    const first = await post(ingest, '/push', call('cap-1'), key('cap-1'));
    expect((await post(ingest, '/push', call('cap-2'), key('cap-2'))).status).toBe(202);
    const refused = await post(ingest, '/push', call('cap-3'), key('cap-3'));
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.parse(refused.text)).toMatchObject({
      code: 503,
      description: expect.stringContaining('PUSHWIRE_IDEMPOTENCY_MAX_KEYS=2'),
    });
    expect(await jobsNamed(ingest, 'cap-3')).toHaveLength(0);
    expect((await post(ingest, '/push', call('cap-1'), key('cap-1'))).text).toBe(first.text);
    // Without the header a push is still accepted.
    expect((await post(ingest, '/push', call('cap-3'))).status).toBe(202);
  });

  it('keeps a record for the window only (a Redis TTL) and never logs the key', async () => {
    const ingest = await open();
    const secretish = 'order-7f3a9c2e-do-not-log';
    expect((await post(ingest, '/push', call('keyed-9'), key(secretish))).status).toBe(202);
    await post(ingest, '/push', call('keyed-9'), key(secretish));
    await post(ingest, '/push', call('keyed-9', { badge: 4 }), key(secretish));
    const records = (await ingest.redis.keys(`${ingest.prefix}:idempotency:*`)).filter((k) => !k.endsWith(':index'));
    expect(records).toHaveLength(1);
    const ttl = await ingest.redis.pttl(records[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    expect(ingest.logLines.join('\n')).not.toContain(secretish);
  });

  it('answers 400 in the envelope for a malformed key, before anything is queued', async () => {
    const ingest = await open();
    for (const bad of ['', '""', 'é-not-ascii', 'x'.repeat(256)]) {
      const res = await post(ingest, '/push', call('keyed-10'), key(bad));
      expect([res.status, JSON.parse(res.text)]).toEqual([
        400,
        { code: 400, description: 'Idempotency-Key must be 1 to 255 printable ASCII characters', data: {} },
      ]);
    }
    expect(await jobsNamed(ingest, 'keyed-10')).toHaveLength(0);
  });
});
