// Ingest request metrics on the real app: route patterns (never raw paths), statuses, /metrics on the API port.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestIngest } from '../test-support/ingest-app.js';
import { HttpMetrics, routeOf, UNMATCHED_ROUTE } from './http-metrics.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function requests(registry: Registry): Promise<Record<string, number>> {
  const { values } = await registry.getSingleMetric('pushwire_http_requests_total')!.get();
  return Object.fromEntries(values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
}

describe('ingest request metrics', () => {
  it('count each answer once by route pattern, method and status; account names never become labels', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics({ registry });
    const ingest = await createTestIngest({ metrics: { middleware: metrics.middleware(), route: null } });
    close = ingest.close;
    const post = (path: string, body: unknown) =>
      ingest.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await ingest.app.request('/healthz')).status).toBe(200);
    expect((await ingest.app.request('/healthz')).status).toBe(200);
    expect((await post('/push', { 'app-id': 'com.example.sylk' })).status).toBe(400);
    const device = { 'app-id': 'com.example.sylk', platform: 'ios', 'device-id': 'd1', token: 'a'.repeat(64) };
    const registered = await post('/v2/tokens/secret-alice@example.com', device);
    expect((await ingest.app.request('/no/such/path')).status).toBe(404);
    // Wrong method on a known path: Sylk's 405, not matched by a route of that method.
    expect((await ingest.app.request('/push')).status).toBe(405);
    // /metrics is off on the API port unless configured.
    expect((await ingest.app.request('/metrics')).status).toBe(404);

    expect(await requests(registry)).toEqual({
      'GET /healthz 200': 2,
      'POST /push 400': 1,
      [`POST /v2/tokens/:account ${registered.status}`]: 1,
      [`GET ${UNMATCHED_ROUTE} 404`]: 2,
      [`GET ${UNMATCHED_ROUTE} 405`]: 1,
    });
    const text = await registry.metrics();
    expect(text).not.toContain('secret-alice');
    expect(text).toContain('pushwire_http_request_duration_seconds_count{route="/healthz",method="GET"} 2');
  });

  it('serve /metrics on the API port only when given the route', async () => {
    const registry = new Registry();
    const metrics = new HttpMetrics({ registry });
    const route = async (c: Parameters<import('hono').Handler>[0]) =>
      c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
    const ingest = await createTestIngest({ metrics: { middleware: metrics.middleware(), route } });
    close = ingest.close;
    await ingest.app.request('/healthz');
    const res = await ingest.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('pushwire_http_requests_total{route="/healthz",method="GET",status="200"} 1');
  });

  it('routeOf skips middleware (ALL) routes', () => {
    expect(
      routeOf([
        { method: 'ALL', path: '*' },
        { method: 'POST', path: '/v2/tokens/:account/push/:device' },
      ]),
    ).toBe('/v2/tokens/:account/push/:device');
    expect(routeOf([{ method: 'ALL', path: '*' }])).toBe(UNMATCHED_ROUTE);
  });
});
