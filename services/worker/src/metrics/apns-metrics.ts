// APNs connection, provider-token and certificate metrics, fed by the APNs package's observer callbacks.
import { X509Certificate } from 'node:crypto';
import type { ApnsConnectionObserver } from '@pushwire/apns';
import { systemClock, type AppConfig, type Clock } from '@pushwire/core';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ApnsMetricsOptions {
  registry: Registry;
  /** For token age and days to certificate expiry. Default the system clock. */
  clock?: Clock;
}

const DAY_MS = 86_400_000;

export class ApnsMetrics {
  private readonly clock: Clock;
  private readonly connections: Counter<'app_id'>;
  private readonly reconnects: Counter<'app_id'>;
  private readonly goaways: Counter<'app_id' | 'error_code'>;
  private readonly open: Gauge<'app_id'>;
  private readonly tokenAge: Gauge<'app_id'>;
  /** Expiry (ms since the epoch) of each certificate-auth app's client certificate, read at scrape. */
  private certificates = new Map<string, number>();

  constructor(options: ApnsMetricsOptions) {
    const registers = [options.registry];
    this.clock = options.clock ?? systemClock;
    this.connections = new Counter({
      name: 'pushwire_apns_connections_total',
      help: 'APNs HTTP/2 connections established',
      labelNames: ['app_id'],
      registers,
    });
    this.reconnects = new Counter({
      name: 'pushwire_apns_reconnects_total',
      help: "APNs connections established after the app's first one (the previous one was lost, replaced or drained)",
      labelNames: ['app_id'],
      registers,
    });
    this.goaways = new Counter({
      name: 'pushwire_apns_goaways_total',
      help: 'GOAWAY frames received from APNs, by HTTP/2 error code',
      labelNames: ['app_id', 'error_code'],
      registers,
    });
    this.open = new Gauge({
      name: 'pushwire_apns_open_connections',
      help: 'APNs connections open now (one per app per worker process when busy)',
      labelNames: ['app_id'],
      registers,
    });
    this.tokenAge = new Gauge({
      name: 'pushwire_apns_provider_token_age_seconds',
      help: 'Age of the provider token (JWT) when the last push was signed with it; refreshed at 45 min, APNs refuses tokens older than 60 min',
      labelNames: ['app_id'],
      registers,
    });
    const certificates = (): Map<string, number> => this.certificates;
    const clock = this.clock;
    new Gauge({
      name: 'pushwire_apns_certificate_expiry_days',
      help: 'Days until the client certificate of a certificate-auth Apple app expires (negative once expired)',
      labelNames: ['app_id'],
      registers,
      collect() {
        this.reset();
        for (const [appId, validTo] of certificates()) this.set({ app_id: appId }, (validTo - clock.now()) / DAY_MS);
      },
    });
  }

  /** What one Apple app's provider reports about its connections. */
  connectionObserver(appId: string): ApnsConnectionObserver {
    const labels = { app_id: appId };
    return {
      connected: ({ reconnect }) => {
        this.connections.inc(labels);
        if (reconnect) this.reconnects.inc(labels);
        this.open.inc(labels);
      },
      disconnected: () => this.open.dec(labels),
      goaway: ({ errorCode }) => this.goaways.inc({ app_id: appId, error_code: String(errorCode) }),
    };
  }

  /** For `RedisProviderTokens`' `onTokenUsed`. */
  tokenObserver(appId: string): (token: { issuedAtMs: number }) => void {
    return ({ issuedAtMs }) => this.tokenAge.set({ app_id: appId }, Math.max(0, this.clock.now() - issuedAtMs) / 1000);
  }

  /** The apps now configured (at start and on every reload): their certificates' expiry is reported. */
  setApps(apps: readonly AppConfig[]): void {
    const certificates = new Map<string, number>();
    for (const app of apps) {
      if (app.platform !== 'apple' || app.auth.kind !== 'certificate') continue;
      try {
        // The first certificate of the PEM is the client's own (the config loader checked it at start).
        certificates.set(app.appId, Date.parse(new X509Certificate(app.auth.certPem).validTo));
      } catch {
        // Unreadable here means the loader disabled the app already; nothing to report.
      }
    }
    this.certificates = certificates;
  }
}
