import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessList } from '../access-list.js';
import { createTestIngest } from '../test-support/ingest-app.js';
import { pushQueueName } from '@pushwire/queue';

const sylkCall = {
  'app-id': 'com.example.sylk',
  platform: 'apple',
  token: 'a'.repeat(64),
  event: 'incoming_session',
  'call-id': 'c1@example.com',
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
};
const without = (key: string) => Object.fromEntries(Object.entries(sylkCall).filter(([k]) => k !== key));
const envelope = (code: number, description: string) => ({ code, description, data: '' });

const ingest = await createTestIngest();
afterAll(() => ingest.close());

async function post(body: string | Uint8Array<ArrayBuffer> | undefined, path = '/push', init: RequestInit = {}) {
  const res = await ingest.app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    ...init,
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

// Each row: what a careless or hostile client sends → the exact status and body (never a 500).
const BAD_INPUTS: Array<[string, string | Uint8Array<ArrayBuffer> | undefined, number, unknown]> = [
  ['empty body', undefined, 400, { code: 400, description: 'request body must be a JSON object', data: '' }],
  ['JSON null', 'null', 400, { code: 400, description: 'request body must be a JSON object', data: '' }],
  ['JSON array', '[]', 400, { code: 400, description: 'request body must be a JSON object', data: '' }],
  ['JSON string', '"push"', 400, { code: 400, description: 'request body must be a JSON object', data: '' }],
  ['JSON number', '42', 400, { code: 400, description: 'request body must be a JSON object', data: '' }],
  ['truncated JSON', '{"app-id": "x"', 400, { detail: 'There was an error parsing the body' }],
  ['not JSON at all', 'app-id=x', 400, { detail: 'There was an error parsing the body' }],
  [
    'invalid UTF-8',
    new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    400,
    { detail: 'There was an error parsing the body' },
  ],
  ['missing app-id', JSON.stringify(without('app-id')), 400, envelope(400, "Field 'app-id' required")],
  ['null app-id', JSON.stringify({ ...sylkCall, 'app-id': null }), 400, envelope(400, "Field 'app-id' required")],
  ['missing platform', JSON.stringify(without('platform')), 400, envelope(400, "Field 'platform' required")],
  [
    'unknown platform',
    JSON.stringify({ ...sylkCall, platform: 'windows' }),
    404,
    envelope(404, "'windows' platform is not configured"),
  ],
  [
    'platform is case-sensitive',
    JSON.stringify({ ...sylkCall, platform: 'Apple' }),
    404,
    envelope(404, "'Apple' platform is not configured"),
  ],
  [
    'unknown app',
    JSON.stringify({ ...sylkCall, 'app-id': 'com.nope' }),
    404,
    envelope(404, 'Apple com.nope app is not configured'),
  ],
  [
    'unknown app on alias platform',
    JSON.stringify({ ...sylkCall, 'app-id': 'com.nope', platform: 'android' }),
    404,
    envelope(404, 'Firebase com.nope app is not configured'),
  ],
  ['sylk without event', JSON.stringify(without('event')), 400, envelope(400, "'event' item(s) missing.")],
  [
    'sylk without silent and to',
    JSON.stringify(Object.fromEntries(Object.entries(sylkCall).filter(([k]) => k !== 'silent' && k !== 'to'))),
    400,
    envelope(400, "'silent ,to' item(s) missing."),
  ],
  ['missing media-type', JSON.stringify(without('media-type')), 400, envelope(400, 'Field media-type required')],
  [
    'bad event',
    JSON.stringify({ ...sylkCall, event: 'ring' }),
    400,
    envelope(
      400,
      "event must be 'incoming_session', 'incoming_conference_request', 'cancel' or 'message', 'transfer': event",
    ),
  ],
  [
    'bad media-type',
    JSON.stringify({ ...sylkCall, 'media-type': 'fax' }),
    400,
    envelope(400, "media-type must be 'audio', 'video', 'chat', 'sms', 'file-transfer', 'image'"),
  ],
  [
    'badge not an integer',
    JSON.stringify({ ...sylkCall, badge: 'many' }),
    400,
    envelope(400, 'value is not a valid integer: badge'),
  ],
  [
    'silent not a boolean',
    JSON.stringify({ ...sylkCall, silent: 'maybe' }),
    400,
    envelope(400, 'value could not be parsed to a boolean: silent'),
  ],
  [
    'token is an object',
    JSON.stringify({ ...sylkCall, token: { a: 1 } }),
    400,
    envelope(400, 'str type expected: token'),
  ],
  [
    'linphone with another event',
    JSON.stringify({ ...sylkCall, 'app-id': 'com.example.linphone', event: 'message' }),
    404,
    envelope(404, 'event not found (must be incoming_sesion)'),
  ],
  [
    'body over the limit',
    JSON.stringify({ ...sylkCall, content: 'x'.repeat(5000) }),
    413,
    { code: 413, description: 'request body larger than 4096 bytes', data: { max_bytes: 4096 } },
  ],
];

describe('POST /push bad input', () => {
  it.each(BAD_INPUTS)('%s', async (_name, body, status, expected) => {
    const res = await post(body);
    expect(res).toEqual({ status, json: expected });
  });

  it('nothing bad reaches the queue', async () => {
    const queue = new Queue(pushQueueName('com.example.sylk', 'apple'), {
      connection: ingest.redis,
      prefix: ingest.prefix,
    });
    expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('answers Starlette’s 404 and 405 bodies for unknown paths and wrong methods', async () => {
    expect(await post('{}', '/nope')).toEqual({ status: 404, json: { detail: 'Not Found' } });
    const get = await ingest.app.request('/push');
    expect([get.status, await get.json()]).toEqual([405, { detail: 'Method Not Allowed' }]);
    const home = await ingest.app.request('/');
    expect([home.status, await home.json()]).toEqual([200, 'Welcome to sylk-push server']);
  });
});

describe('POST /push accepted (return_async = false)', () => {
  it('answers 202 once the job is in Redis, named by call-id, with no credential in its data', async () => {
    const res = await post(
      JSON.stringify({ ...sylkCall, platform: 'ios', silent: '1', badge: '3', unknown: 'ignored' }),
    );
    expect(res).toEqual({ status: 202, json: { code: 202, description: 'accepted for delivery', data: {} } });
    const queue = new Queue(pushQueueName('com.example.sylk', 'apple'), {
      connection: ingest.redis,
      prefix: ingest.prefix,
    });
    const [job] = await queue.getJobs(['waiting']);
    expect(job?.name).toBe('c1@example.com');
    expect(job?.data.request).toMatchObject({ platform: 'apple', silent: true, badge: 3, callId: 'c1@example.com' });
    expect(job?.data.requestId).toBe('incoming_session-com.example.sylk-c1@example.com');
    expect(JSON.stringify(job?.data)).not.toMatch(/authorization|BEGIN/i);
  });

  it('the same push sent twice is two jobs without an Idempotency-Key, one with it', async () => {
    const body = JSON.stringify({ ...sylkCall, 'call-id': 'dup-1' });
    expect((await post(body)).status).toBe(202);
    expect((await post(body)).status).toBe(202);
    const keyed = { headers: { 'content-type': 'application/json', 'idempotency-key': 'dup-2' } };
    const keyedBody = JSON.stringify({ ...sylkCall, 'call-id': 'dup-2' });
    expect((await post(keyedBody, '/push', keyed)).status).toBe(202);
    expect((await post(keyedBody, '/push', keyed)).status).toBe(202);
    const queue = new Queue(pushQueueName('com.example.sylk', 'apple'), {
      connection: ingest.redis,
      prefix: ingest.prefix,
    });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.filter((j) => j.name === 'dup-1')).toHaveLength(2);
    expect(jobs.filter((j) => j.name === 'dup-2')).toHaveLength(1);
  });
});

describe('access list and unavailability', () => {
  it('denies a client outside allowed_hosts after validating its body', async () => {
    const denied = await createTestIngest({
      accessList: new AccessList(['10.0.0.0/8']),
      clientAddress: () => '192.168.1.5',
    });
    try {
      const ok = await denied.app.request('/push', { method: 'POST', body: JSON.stringify(sylkCall) });
      expect([ok.status, await ok.json()]).toEqual([
        403,
        { code: 403, description: 'access denied by access list', data: {} },
      ]);
      const bad = await denied.app.request('/push', { method: 'POST', body: JSON.stringify(without('call-id')) });
      expect(bad.status).toBe(400);
    } finally {
      await denied.close();
    }
  });

  it('answers 503 and accepts nothing when Redis is unreachable', async () => {
    const down = await createTestIngest({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const res = await down.app.request('/push', { method: 'POST', body: JSON.stringify(sylkCall) });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 503 });
      const sync = await createTestIngest({ redisUrl: 'redis://127.0.0.1:1', returnAsync: true });
      const res2 = await sync.app.request('/push', { method: 'POST', body: JSON.stringify(sylkCall) });
      expect(res2.status).toBe(503);
      await sync.close();
    } finally {
      await down.close();
    }
  });
});

describe('GET /openapi.json', () => {
  it('documents /push with the hyphenated Sylk keys from the zod schema', async () => {
    const res = await ingest.app.request('/openapi.json');
    const doc = (await res.json()) as {
      paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const ref = doc.paths['/push']!.post!.requestBody.content['application/json']!.schema.$ref;
    expect(ref).toBe('#/components/schemas/WakeUpRequest');
    expect(Object.keys(doc.components.schemas.WakeUpRequest!.properties)).toEqual(
      expect.arrayContaining(['app-id', 'call-id', 'media-type', 'from-display-name', 'silent']),
    );
  });
});
