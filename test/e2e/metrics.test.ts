// Metrics end to end: ingest and worker run in this process (each with its own registry, as two processes
// would) against the sandbox's APNs/FCM emulators; N pushes move the counters of both /metrics by exactly N.
// The worker's /readyz follows its Redis (a private redis-server, stopped and restarted here).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { APP_TYPES, getAppType } from '@pushwire/apps';
import { loadConfig, type PushwireConfig } from '@pushwire/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../packages/logging/src/index.js';
import { startIngest, type RunningIngest } from '../../services/ingest/src/index.js';
import { createProcessMetrics } from '../../services/pushwire/src/metrics/process-metrics.js';
import { freePort, redisAnswers, startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { openTokenStorage } from '../../services/pushwire/src/storage-from-config.js';
import {
  startHealthServer,
  startWorker,
  type RunningHealthServer,
  type RunningWorker,
} from '../../services/worker/src/index.js';
import { SANDBOX_APPS, startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { waitUntil } from '../reliability/support/wait-until.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({
  name: 'metrics-e2e',
  level: 'warn',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

/** Samples of a Prometheus text exposition: `name{a="1",b="2"}` → value. */
function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the series of `name` whose labels include `labels` (0 when there is none yet). */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseMetrics(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

function configFor(sandbox: Sandbox, env: Record<string, string>, port: number): PushwireConfig {
  return loadConfig({ configDir: sandbox.configDir, overrides: { port }, env, knownAppTypes: Object.keys(APP_TYPES) });
}

function lookupFor(config: PushwireConfig) {
  return (appId: string, platform: string) => {
    const app = config.apps.find((a) => a.appId === appId && a.platform === platform);
    return app ? getAppType(app.appType)?.rules : undefined;
  };
}

function push(platform: string, token: string, callId: string) {
  return {
    'app-id': SYLK,
    platform,
    token,
    event: 'incoming_session',
    'call-id': callId,
    from: 'alice@example.com',
    to: 'bob@example.com',
    'media-type': 'audio',
    silent: true,
  };
}

describe('metrics', () => {
  const prefix = `pwtest-metrics-${randomUUID()}`;
  let dir: string;
  let sandbox: Sandbox;
  let config: PushwireConfig;
  let storage: Awaited<ReturnType<typeof openTokenStorage>>;
  let worker: RunningWorker;
  let health: RunningHealthServer;
  let ingest: RunningIngest;
  let post: (path: string, body: unknown) => Promise<number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pushwire-metrics-'));
    sandbox = await startSandbox({ dir: join(dir, 'config') });
    const env = { REDIS_URL, PUSHWIRE_PREFIX: prefix, PUSHWIRE_RETRY_BASE_MS: '20', PUSHWIRE_METRICS_PORT: '0' };
    config = configFor(sandbox, env, await freePort());
    storage = await openTokenStorage(config, {}, logger);
    // Two registries, as in two processes: each /metrics shows only its own role's metrics.
    const workerMetrics = createProcessMetrics({ ingest: false, worker: true });
    const ingestMetrics = createProcessMetrics({ ingest: true, worker: false });
    worker = await startWorker({ config, logger, storage, metrics: workerMetrics.worker! });
    health = await startHealthServer({
      port: 0,
      registry: workerMetrics.registry,
      readiness: () => worker.readiness(),
    });
    ingest = await startIngest({
      config,
      logger,
      storage,
      lookupApp: lookupFor(config),
      metrics: ingestMetrics.ingest!,
    });
    post = async (path, body) => {
      const res = await fetch(`${ingest.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    };
  });

  afterAll(async () => {
    await ingest?.close();
    await worker?.close();
    await health?.close();
    await storage?.close();
    await sandbox?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingest and worker counters move by exactly the pushes made', async () => {
    expect(ingest.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const ingestUrl = ingest.metricsUrl!;
    const workerUrl = `${health.url}/metrics`;
    const ingestBefore = await scrape(ingestUrl);
    const workerBefore = await scrape(workerUrl);
    const dIngest = (text: string, name: string, labels?: Record<string, string>) =>
      total(text, name, labels) - total(ingestBefore, name, labels);
    const dWorker = (text: string, name: string, labels?: Record<string, string>) =>
      total(text, name, labels) - total(workerBefore, name, labels);

    const hex = (n: number) => `e2e${n}`.padEnd(64, '0');
    const dead = hex(90);
    const flaky = hex(91);
    sandbox.apns.failToken(dead, { status: 410, reason: 'Unregistered' });
    sandbox.apns.failToken(flaky, { status: 503, reason: 'ServiceUnavailable', times: 1 });
    const statuses = await Promise.all([
      ...[1, 2, 3, 4, 5].map((n) => post('/push', push('apple', hex(n), `metrics-apple-${n}`))),
      post('/push', push('apple', dead, 'metrics-dead')),
      post('/push', push('apple', flaky, 'metrics-flaky')),
      ...[1, 2].map((n) => post('/push', push('firebase', `fcm-metrics-${n}`, `metrics-fcm-${n}`))),
    ]);
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 410]);
    expect(await post('/push', { 'app-id': SYLK })).toBe(400);
    const device = { 'app-id': SYLK, platform: 'firebase', 'device-id': 'metrics-device', token: 'fcm-metrics-device' };
    const registered = await post('/v2/tokens/secret-bob@example.com', device);
    expect(registered).toBe(200);

    // Every job has left the active state (completed or failed) before the queue counts are compared.
    const sylkApple = `push.apple.${SYLK}`;
    const sylkFcm = `push.firebase.${SYLK}`;
    await waitUntil(
      async () => total(await scrape(ingestUrl), 'pushwire_queue_jobs', { queue: sylkApple, state: 'completed' }) === 6,
    );
    const ingestAfter = await scrape(ingestUrl);
    const workerAfter = await scrape(workerUrl);

    // Ingest: requests by route pattern and status, never the account in the path.
    expect(
      dIngest(ingestAfter, 'pushwire_http_requests_total', { route: '/push', method: 'POST', status: '200' }),
    ).toBe(8);
    expect(
      dIngest(ingestAfter, 'pushwire_http_requests_total', { route: '/push', method: 'POST', status: '410' }),
    ).toBe(1);
    expect(
      dIngest(ingestAfter, 'pushwire_http_requests_total', { route: '/push', method: 'POST', status: '400' }),
    ).toBe(1);
    expect(
      dIngest(ingestAfter, 'pushwire_http_requests_total', {
        route: '/v2/tokens/:account',
        method: 'POST',
        status: '200',
      }),
    ).toBe(1);
    expect(dIngest(ingestAfter, 'pushwire_http_requests_total')).toBe(11);
    expect(ingestAfter).not.toContain('secret-bob');
    expect(dIngest(ingestAfter, 'pushwire_http_request_duration_seconds_count', { route: '/push' })).toBe(10);

    // Ingest: queue depth per state, read from Redis at scrape time.
    expect(total(ingestAfter, 'pushwire_queue_metrics_up')).toBe(1);
    for (const [queue, completed, failed] of [
      [sylkApple, 6, 1],
      [sylkFcm, 2, 0],
    ] as const) {
      expect(total(ingestAfter, 'pushwire_queue_jobs', { queue, state: 'completed' })).toBe(completed);
      expect(total(ingestAfter, 'pushwire_queue_jobs', { queue, state: 'failed' })).toBe(failed);
      for (const state of ['waiting', 'active', 'delayed'])
        expect(total(ingestAfter, 'pushwire_queue_jobs', { queue, state })).toBe(0);
    }
    // The ingest's registry carries no worker metrics.
    expect(ingestAfter).not.toContain('pushwire_deliveries_total');

    // Worker: one final result per push, by app, platform and result.
    const apple = { app_id: SYLK, platform: 'apple' };
    const firebase = { app_id: SYLK, platform: 'firebase' };
    expect(dWorker(workerAfter, 'pushwire_deliveries_total')).toBe(9);
    expect(dWorker(workerAfter, 'pushwire_deliveries_total', { ...apple, result: 'delivered' })).toBe(6);
    expect(dWorker(workerAfter, 'pushwire_deliveries_total', { ...apple, result: 'dead-token' })).toBe(1);
    expect(dWorker(workerAfter, 'pushwire_deliveries_total', { ...firebase, result: 'delivered' })).toBe(2);
    expect(dWorker(workerAfter, 'pushwire_push_end_to_end_seconds_count')).toBe(9);
    // Push-service answers per attempt: 9 pushes + 1 retry.
    expect(dWorker(workerAfter, 'pushwire_push_service_responses_total')).toBe(10);
    expect(dWorker(workerAfter, 'pushwire_push_service_responses_total', { ...apple, code: '200', reason: 'ok' })).toBe(
      6,
    );
    expect(
      dWorker(workerAfter, 'pushwire_push_service_responses_total', { ...apple, code: '410', reason: 'Unregistered' }),
    ).toBe(1);
    expect(
      dWorker(workerAfter, 'pushwire_push_service_responses_total', {
        ...apple,
        code: '503',
        reason: 'ServiceUnavailable',
      }),
    ).toBe(1);
    expect(
      dWorker(workerAfter, 'pushwire_push_service_responses_total', { ...firebase, code: '200', reason: 'ok' }),
    ).toBe(2);
    expect(dWorker(workerAfter, 'pushwire_push_service_request_duration_seconds_count')).toBe(10);
    expect(dWorker(workerAfter, 'pushwire_retries_total')).toBe(1);
    expect(dWorker(workerAfter, 'pushwire_retries_total', { ...apple, cause: 'push-service' })).toBe(1);

    // APNs: one connection for the Sylk Apple app, a fresh provider token, no certificate app in the sandbox.
    expect(total(workerAfter, 'pushwire_apns_connections_total', { app_id: SYLK })).toBe(1);
    expect(total(workerAfter, 'pushwire_apns_reconnects_total', { app_id: SYLK })).toBe(0);
    expect(total(workerAfter, 'pushwire_apns_open_connections', { app_id: SYLK })).toBe(1);
    const tokenAge = total(workerAfter, 'pushwire_apns_provider_token_age_seconds', { app_id: SYLK });
    expect(tokenAge).toBeGreaterThanOrEqual(0);
    expect(tokenAge).toBeLessThan(60);
    expect(total(workerAfter, 'pushwire_apns_certificate_expiry_days')).toBe(0);
    // Process metrics come with every registry.
    expect(total(workerAfter, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(workerAfter).not.toContain('pushwire_http_requests_total');
  });

  it('the API port serves no /metrics unless PUSHWIRE_METRICS_ON_MAIN_PORT says so', async () => {
    expect((await fetch(`${ingest.url}/metrics`)).status).toBe(404);
  });

  it('worker /healthz and /readyz: ready while Redis is up and every app queue is consumed', async () => {
    const live = await fetch(`${health.url}/healthz`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${health.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      ready: true,
      reasons: [],
      redis: true,
      redis_down_ms: 0,
      consuming: SANDBOX_APPS.length,
      queues: SANDBOX_APPS.length,
    });
  });
});

describe('worker readiness when its Redis goes away', () => {
  let dir: string;
  let redis: LocalRedis;
  let sandbox: Sandbox;
  let worker: RunningWorker | undefined;
  let health: RunningHealthServer | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pushwire-readyz-'));
    redis = await startLocalRedis({ dir: join(dir, 'redis') });
    sandbox = await startSandbox({ dir: join(dir, 'config') });
  });
  afterAll(async () => {
    // A test that failed with Redis stopped: bring it back so the worker can close.
    if (redis && !(await redisAnswers('127.0.0.1', redis.port))) await redis.restart();
    await worker?.close();
    await health?.close();
    await sandbox?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 saying why while Redis is down, /healthz stays 200, and ready again once Redis is back', async () => {
    const config = configFor(sandbox, { REDIS_URL: redis.url }, await freePort());
    const { registry, worker: metrics } = createProcessMetrics({ ingest: false, worker: true });
    const running = await startWorker({ config, logger, storage: null, metrics: metrics! });
    worker = running;
    health = await startHealthServer({ port: 0, registry, readiness: () => running.readiness() });
    const readyz = async () => {
      const res = await fetch(`${health!.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { redis: boolean; reasons: string[] } };
    };
    expect((await readyz()).status).toBe(200);

    await redis.stop();
    await waitUntil(async () => (await readyz()).status === 503, { timeoutMs: 15_000 });
    const down = await readyz();
    expect(down.body).toMatchObject({ status: 'not ready', ready: false, redis: false });
    expect(down.body.reasons).toContain('Redis connection is not ready');
    expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
    // Metrics stay readable while Redis is down (nothing on the worker's /metrics needs Redis).
    expect((await fetch(`${health.url}/metrics`)).status).toBe(200);

    await redis.restart();
    await waitUntil(async () => (await readyz()).status === 200, { timeoutMs: 20_000 });
  });
});
