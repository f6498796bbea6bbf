// APNs and log-sink metrics: connections and GOAWAYs, token age, certificate days to expiry, sink failures.
import { X509Certificate } from 'node:crypto';
import { ManualClock, type AppConfig } from '@pushwire/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTestCa } from '@pushwire/sandbox-emulators';
import { ApnsMetrics } from './apns-metrics.js';
import { SinkMetrics } from './sink-metrics.js';

async function samples(
  registry: Registry,
  name: string,
): Promise<{ labels: Partial<Record<string, string | number>>; value: number }[]> {
  return (await registry.getSingleMetric(name)!.get()).values.map(({ labels, value }) => ({ labels, value }));
}

const DAY = 86_400_000;

describe('ApnsMetrics', () => {
  it('counts connections, reconnects and GOAWAYs, and tracks open connections', async () => {
    const registry = new Registry();
    const metrics = new ApnsMetrics({ registry });
    const observer = metrics.connectionObserver('com.example.app');
    observer.connected!({ reconnect: false });
    observer.goaway!({ errorCode: 0 });
    observer.disconnected!();
    observer.connected!({ reconnect: true });

    const app = { app_id: 'com.example.app' };
    expect(await samples(registry, 'pushwire_apns_connections_total')).toEqual([{ labels: app, value: 2 }]);
    expect(await samples(registry, 'pushwire_apns_reconnects_total')).toEqual([{ labels: app, value: 1 }]);
    expect(await samples(registry, 'pushwire_apns_goaways_total')).toEqual([
      { labels: { ...app, error_code: '0' }, value: 1 },
    ]);
    expect(await samples(registry, 'pushwire_apns_open_connections')).toEqual([{ labels: app, value: 1 }]);
  });

  it('reports the age of the token the last push was signed with', async () => {
    const registry = new Registry();
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const metrics = new ApnsMetrics({ registry, clock });
    metrics.tokenObserver('com.example.app')({ issuedAtMs: clock.now() - 20 * 60_000 });
    expect(await samples(registry, 'pushwire_apns_provider_token_age_seconds')).toEqual([
      { labels: { app_id: 'com.example.app' }, value: 1200 },
    ]);
  });

  it('reports days to expiry of certificate-auth apps only, read at scrape, and forgets apps a reload removed', async () => {
    const ca = createTestCa();
    const { cert, key } = ca.issueClient({
      commonName: 'Apple Push Services: com.example.cert',
      uid: 'com.example.cert',
    });
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    const clock = new ManualClock(validTo - 10 * DAY);
    const registry = new Registry();
    const metrics = new ApnsMetrics({ registry, clock });
    const certApp = {
      appId: 'com.example.cert',
      platform: 'apple',
      auth: { kind: 'certificate', certPem: cert, keyPem: key },
    } as unknown as AppConfig;
    const tokenApp = { appId: 'com.example.token', platform: 'apple', auth: { kind: 'token' } } as unknown as AppConfig;
    metrics.setApps([certApp, tokenApp]);

    expect(await samples(registry, 'pushwire_apns_certificate_expiry_days')).toEqual([
      { labels: { app_id: 'com.example.cert' }, value: 10 },
    ]);
    clock.advance(12 * DAY);
    expect(await samples(registry, 'pushwire_apns_certificate_expiry_days')).toEqual([
      { labels: { app_id: 'com.example.cert' }, value: -2 },
    ]);
    metrics.setApps([tokenApp]);
    expect(await samples(registry, 'pushwire_apns_certificate_expiry_days')).toEqual([]);
  });
});

describe('SinkMetrics', () => {
  it('counts failed posts, final ones apart', async () => {
    const registry = new Registry();
    const metrics = new SinkMetrics({ registry });
    metrics.failed({ appId: 'a', platform: 'apple', final: false });
    metrics.failed({ appId: 'a', platform: 'apple', final: false });
    metrics.failed({ appId: 'a', platform: 'apple', final: true });
    expect(await samples(registry, 'pushwire_log_sink_failures_total')).toEqual([
      { labels: { app_id: 'a', platform: 'apple', final: 'false' }, value: 2 },
      { labels: { app_id: 'a', platform: 'apple', final: 'true' }, value: 1 },
    ]);
  });
});
