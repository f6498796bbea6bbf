// The worker's HTTP port: /healthz always, /readyz from the readiness callback (503 with reasons), /metrics.
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type RunningHealthServer, type WorkerReadiness } from './health-server.js';

let server: RunningHealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('worker health server', () => {
  it('serves /healthz, /readyz as the worker reports it, and the registry at /metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'pushwire_test_total', help: 'test', registers: [registry] }).inc(3);
    let readiness: WorkerReadiness = {
      ready: true,
      reasons: [],
      redis: true,
      redis_down_ms: 0,
      consuming: 2,
      queues: 2,
    };
    server = await startHealthServer({ port: 0, registry, readiness: () => readiness });

    expect(server.port).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);

    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', ready: true, reasons: [], redis: true, redis_down_ms: 0, consuming: 2, queues: 2 },
    ]);

    readiness = {
      ready: false,
      reasons: ['Redis connection is not ready'],
      redis: false,
      redis_down_ms: 4000,
      consuming: 2,
      queues: 2,
    };
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not ready',
      reasons: ['Redis connection is not ready'],
      redis: false,
    });

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
    expect(await metrics.text()).toContain('pushwire_test_total 3');

    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('a taken port fails the start', async () => {
    const registry = new Registry();
    const readiness = (): WorkerReadiness => ({
      ready: true,
      reasons: [],
      redis: true,
      redis_down_ms: 0,
      consuming: 0,
      queues: 0,
    });
    server = await startHealthServer({ port: 0, registry, readiness });
    await expect(startHealthServer({ port: server.port, registry, readiness })).rejects.toThrow(/EADDRINUSE/);
  });
});
