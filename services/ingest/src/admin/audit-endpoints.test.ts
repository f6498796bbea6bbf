// The audit endpoints in process (app.request, real Redis, real Bull Board): off without a login, 401 on a wrong
// one, read-only board, job data without secrets, content redacted on request, /v1/calls linking to job pages.
import { randomUUID, scryptSync } from 'node:crypto';
import {
  HttpError,
  withSylkDefaults,
  type AdminConfig,
  type AdminCredentials,
  type PushwireConfig,
} from '@pushwire/core';
import { createLogger } from '@pushwire/logging';
import { pushJobOptions, pushQueueName, uniqueJobId, type PushJobData } from '@pushwire/queue';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHistorySchema } from '../routes/calls-schema.js';
import { registerAudit } from './register-audit.js';
import { startAudit, type RunningAudit } from './start-audit.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `pwtest-${randomUUID()}`;
const APP = 'com.example.audit';
const QUEUE = pushQueueName(APP, 'apple');
const logger = createLogger({ name: 'audit-test', level: 'silent' });
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

function configWith(admin: Partial<AdminConfig>): PushwireConfig {
  const full: AdminConfig = {
    credentials: null,
    retentionMs: 86_400_000,
    retentionJobs: 1000,
    redactContent: false,
    ...admin,
  };
  const app = { appId: APP, platform: 'apple', logRemote: { urls: [], key: null, timeoutMs: 2000 } };
  return { pushwire: { prefix }, apps: [app], admin: full } as unknown as PushwireConfig;
}

/** As the ingest app renders Pushwire's errors (app.ts). */
function appWith(audit: RunningAudit): Hono {
  const app = new Hono();
  registerAudit(app, { ...audit.deps, clientAddress: (c) => c.req.header('x-test-peer') ?? '127.0.0.1' });
  app.onError((error, c) =>
    error instanceof HttpError ? c.json(error.body as object, error.status as 404) : c.json({ code: 500 }, 500),
  );
  return app;
}

const USER: AdminCredentials = { username: 'auditor', secret: { kind: 'plain', password: 'correct horse' } };
const request = withSylkDefaults({
  appId: APP,
  platform: 'apple',
  token: 'c'.repeat(64),
  event: 'message',
  callId: 'audit:1@example.com',
  from: 'a@x',
  to: 'b@x',
  content: 'the secret message text',
});
const jobId = uniqueJobId('v1');
let queue: Queue<PushJobData>;

beforeAll(async () => {
  queue = new Queue<PushJobData>(QUEUE, { connection: redis, prefix });
  const data: PushJobData = { request, requestId: `message-${APP}-${request.callId}`, acceptedAt: Date.now() };
  await queue.add(
    request.callId,
    data,
    pushJobOptions({ jobId, mediaType: 'sms', retryBaseMs: 500, retention: { ageMs: 86_400_000, count: 1000 } }),
  );
});

afterAll(async () => {
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('audit endpoints', () => {
  it('are off without credentials: /admin, its assets and /v1/calls answer 404', async () => {
    const audit = startAudit({ redis, config: configWith({}), logger });
    const app = appWith(audit);
    for (const path of ['/admin', '/admin/', '/admin/queue/x/y', '/admin/api/queues', '/v1/calls/abc']) {
      const res = await app.request(path, { headers: basic('auditor', 'correct horse') });
      expect(res.status, path).toBe(404);
    }
    await audit.close();
  });

  it('refuses a missing or wrong login with 401 and a Basic challenge', async () => {
    const audit = startAudit({ redis, config: configWith({ credentials: USER }), logger });
    const app = appWith(audit);
    let peer = 0;
    for (const headers of [
      {},
      basic('auditor', 'wrong'),
      basic('someone', 'correct horse'),
      { authorization: 'Bearer x' },
    ]) {
      for (const path of ['/admin', '/admin/api/queues', '/v1/calls/abc']) {
        // One address per attempt: failed logins from one address are throttled (admin-auth.test.ts).
        peer += 1;
        const res = await app.request(path, { headers: { ...headers, 'x-test-peer': `10.0.0.${peer}` } });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Pushwire audit"/);
      }
    }
    await audit.close();
  });

  it('are open only to [admin] allowed_hosts (default: loopback and private ranges), as reloaded', async () => {
    const audit = startAudit({ redis, config: configWith({ credentials: USER }), logger });
    const app = appWith(audit);
    const from = (peer: string) =>
      app.request('/v1/calls/x', { headers: { ...basic('auditor', 'correct horse'), 'x-test-peer': peer } });
    expect((await from('203.0.113.5')).status).toBe(403);
    expect((await from('192.168.1.9')).status).toBe(404);
    expect((await from('::1')).status).toBe(404);
    audit.reload(configWith({ credentials: USER, allowedHosts: null }));
    expect((await from('203.0.113.5')).status).toBe(404);
    audit.reload(configWith({ credentials: USER, allowedHosts: ['203.0.113.0/24'] }));
    expect((await from('203.0.113.5')).status).toBe(404);
    expect((await from('192.168.1.9')).status).toBe(403);
    await audit.close();
  });

  it('serves the read-only board: the queue lists, writes answer 405, job data holds no secret', async () => {
    const audit = startAudit({ redis, config: configWith({ credentials: USER }), logger });
    const app = appWith(audit);
    const auth = basic('auditor', 'correct horse');
    const page = await app.request('/admin', { headers: auth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('cache-control')).toBe('no-store');

    const queues = (await (
      await app.request(`/admin/api/queues?activeQueue=${QUEUE}&status=waiting`, { headers: auth })
    ).json()) as {
      queues: { name: string; readOnlyMode: boolean; jobs: { id: string; name: string; data: unknown }[] }[];
    };
    const listed = queues.queues.find((q) => q.name === QUEUE)!;
    expect(listed.readOnlyMode).toBe(true);
    expect(listed.jobs.map((j) => [j.id, j.name])).toEqual([[jobId, request.callId]]);
    const text = JSON.stringify(listed.jobs[0]!.data);
    expect(text).toContain('the secret message text'); // content is shown unless redact_content
    expect(text).not.toMatch(/authorization|bearer|BEGIN|private_key/i);

    for (const write of [
      `${jobId}/clean`,
      `${jobId}/retry`,
      `${jobId}/update-data`,
      'clean/waiting',
      'empty',
      'pause',
      'add',
    ]) {
      const method = write === 'add' ? 'POST' : write.endsWith('update-data') ? 'PATCH' : 'PUT';
      const body = JSON.stringify(
        method === 'PATCH'
          ? { jobData: { request: {} } }
          : method === 'POST'
            ? { name: 'x', data: {}, options: {} }
            : {},
      );
      const res = await app.request(`/admin/api/queues/${QUEUE}/${write}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      });
      expect(res.status, write).toBe(405);
    }
    expect((await queue.getJob(jobId))?.data.request.callId).toBe(request.callId);
    expect(await queue.count()).toBe(1);
    await audit.close();
  });

  it('lists every app’s push queue and, for apps with log_remote_urls, its log-sink queue', async () => {
    const config = configWith({ credentials: USER });
    config.apps.push({
      appId: 'com.example.sinks',
      platform: 'firebase',
      logRemote: { urls: ['https://logs.example/in'], key: null, timeoutMs: 2000 },
    } as never);
    const audit = startAudit({ redis, config, logger });
    const res = await appWith(audit).request('/admin/api/queues', { headers: basic('auditor', 'correct horse') });
    const names = ((await res.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual([QUEUE, 'push.firebase.com.example.sinks', 'sink.com.example.sinks.firebase'].sort());
    await audit.close();
  });

  it('redacts message content on the board with redact_content', async () => {
    const audit = startAudit({ redis, config: configWith({ credentials: USER, redactContent: true }), logger });
    const app = appWith(audit);
    const res = await app.request(`/admin/api/queues/${QUEUE}/${jobId}`, {
      headers: basic('auditor', 'correct horse'),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { job: { data: { request: { content: string; callId: string } } } };
    expect(body.job.data.request.content).toBe('[redacted]');
    expect(body.job.data.request.callId).toBe(request.callId);
    expect(JSON.stringify(body)).not.toContain('the secret message text');
    await audit.close();
  });

  it('answers /v1/calls/{call-id} with the board link of each job; 404 for an unknown call', async () => {
    const salt = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const hashed: AdminCredentials = {
      username: 'auditor',
      secret: { kind: 'scrypt', salt, hash: scryptSync('pw-hash', salt, 32) },
    };
    const audit = startAudit({ redis, config: configWith({ credentials: hashed }), logger });
    const app = appWith(audit);
    const auth = basic('auditor', 'pw-hash');
    await audit.deps.callHistory.accepted([{ jobId, queue: QUEUE, api: 'v1', request, acceptedAt: Date.now() }]);

    const res = await app.request(`/v1/calls/${encodeURIComponent(request.callId)}`, { headers: auth });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { call_id: string; pushes: { job_id: string; board: string; status: string }[] };
    expect(json.call_id).toBe(request.callId);
    expect(CallHistorySchema.safeParse(json).error).toBeUndefined(); // the documented (OpenAPI) shape
    expect(json.pushes).toEqual([
      expect.objectContaining({ job_id: jobId, status: 'pending', board: `/admin/queue/${QUEUE}/${jobId}` }),
    ]);

    // The link is the board's own page of that job.
    const jobPage = await app.request(json.pushes[0]!.board, { headers: auth });
    expect(jobPage.status).toBe(200);
    expect(await jobPage.text()).toContain('<div id="root">');

    const unknown = await app.request('/v1/calls/never%2Fseen', { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 404, data: { call_id: 'never/seen' } });
    expect((await app.request('/v1/calls/x', { headers: basic('auditor', 'pw-hash-wrong') })).status).toBe(401);
    await audit.close();
  });
});
