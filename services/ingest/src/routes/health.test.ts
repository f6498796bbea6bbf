// Health answers say little to strangers: the API port's /readyz is status only; the details (disabled apps with
// their credential paths, the result subscriber's error) are behind the admin login and on the metrics port.
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { createTestIngest } from '../test-support/ingest-app.js';
import { readinessReport } from './health.js';

const DISABLED = {
  section: 'phone',
  appId: 'com.example.phone',
  platform: 'apple',
  reason: '/etc/sylk-pushserver/credentials/phone.pem - no such file.',
};
const auth = { authorization: `Basic ${Buffer.from('auditor:pw').toString('base64')}` };
const ingest = await createTestIngest({
  disabledApps: [DISABLED],
  audit: {
    credentials: () => ({ username: 'auditor', secret: { kind: 'plain', password: 'pw' } }),
    allowedHosts: () => null,
    history: { read: async () => [] },
  },
});
afterAll(() => ingest.close());

describe('/readyz on the API port', () => {
  it('answers the status and nothing else', async () => {
    const res = await ingest.app.request('/readyz');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'ready' });
    expect(text).not.toMatch(/credentials|phone|redis|subscriber/);
  });
});

describe('/readyz with no app enabled', () => {
  it('answers 503: every push would be refused', async () => {
    const none = await createTestIngest({ enabledApps: 0, disabledApps: [DISABLED] });
    try {
      const res = await none.app.request('/readyz');
      expect([res.status, await res.json()]).toEqual([503, { status: 'not ready' }]);
    } finally {
      await none.close();
    }
  });
});

describe('/admin/readyz', () => {
  it('needs the admin login', async () => {
    expect((await ingest.app.request('/admin/readyz')).status).toBe(401);
  });

  it('gives the details behind it', async () => {
    const res = await ingest.app.request('/admin/readyz', { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      redis: true,
      accepting: true,
      result_subscriber: { state: 'subscribed' },
      disabled_apps: [DISABLED],
    });
  });
});

describe('/readyz on the metrics port', () => {
  it('gives the details, 503 when not ready', async () => {
    let ready = true;
    const details = { status: 'ready', disabled_apps: [DISABLED] };
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      readiness: () => ({ ready, details }),
    });
    try {
      const url = server.url.replace(/\/metrics$/, '/readyz');
      const res = await fetch(url);
      expect([res.status, await res.json()]).toEqual([200, details]);
      ready = false;
      expect((await fetch(url)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it('is fed the same report as /admin/readyz', () => {
    const report = readinessReport({
      accepting: () => true,
      redisReady: () => false,
      results: {
        instanceId: 'x',
        wait: () => {
          throw new Error('unused');
        },
        state: () => 'down',
        error: () => 'ECONNREFUSED 127.0.0.1:6379',
      },
      settings: { get: () => ({ disabledApps: [DISABLED] }) } as never,
    });
    expect(report).toEqual({
      ready: false,
      details: {
        status: 'not ready',
        redis: false,
        accepting: true,
        result_subscriber: { state: 'down', error: 'ECONNREFUSED 127.0.0.1:6379' },
        disabled_apps: [DISABLED],
      },
    });
  });
});
