// Pushwire's environment settings: the metrics and worker HTTP ports are off unless set, Redis CA files, checked at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { readPushwireSettings } from './env-settings.js';

describe('metrics settings', () => {
  it('default: no metrics port, none on the API port, no worker HTTP port', () => {
    expect(readPushwireSettings({})).toMatchObject({
      metricsPort: null,
      metricsOnMainPort: false,
      workerHttpPort: null,
    });
    expect(readPushwireSettings({ PUSHWIRE_METRICS_PORT: '', PUSHWIRE_WORKER_HTTP_PORT: '' })).toMatchObject({
      metricsPort: null,
      workerHttpPort: null,
    });
  });

  it('reads ports (0 = any free port) and the main-port switch', () => {
    const settings = readPushwireSettings({
      PUSHWIRE_METRICS_PORT: '9400',
      PUSHWIRE_WORKER_HTTP_PORT: '0',
      PUSHWIRE_METRICS_ON_MAIN_PORT: 'yes',
    });
    expect(settings).toMatchObject({ metricsPort: 9400, workerHttpPort: 0, metricsOnMainPort: true });
    expect(readPushwireSettings({ PUSHWIRE_METRICS_ON_MAIN_PORT: 'false' }).metricsOnMainPort).toBe(false);
  });

  it.each([
    ['PUSHWIRE_METRICS_PORT', '70000'],
    ['PUSHWIRE_WORKER_HTTP_PORT', 'http'],
    ['PUSHWIRE_METRICS_ON_MAIN_PORT', 'maybe'],
  ])('%s=%s stops the start, naming the variable', (name, value) => {
    expect(() => readPushwireSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readPushwireSettings({ [name]: value })).toThrow(name);
  });
});

describe('Redis TLS trust (PUSHWIRE_REDIS_CA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-env-ca-'));
  const ca = join(dir, 'redis-ca.pem');
  const extra = join(dir, 'extra.pem');
  writeFileSync(ca, rootCertificates[0]!);
  writeFileSync(extra, rootCertificates[1]!);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('unset: no CA files, Node’s own trust (NODE_EXTRA_CA_CERTS included by Node itself)', () => {
    expect(readPushwireSettings({}).redisCaFiles).toEqual([]);
    expect(readPushwireSettings({ NODE_EXTRA_CA_CERTS: extra }).redisCaFiles).toEqual([]);
  });

  it('set: that file, then NODE_EXTRA_CA_CERTS, which an explicit CA list would otherwise drop', () => {
    expect(readPushwireSettings({ PUSHWIRE_REDIS_CA: ca }).redisCaFiles).toEqual([ca]);
    expect(readPushwireSettings({ PUSHWIRE_REDIS_CA: ca, NODE_EXTRA_CA_CERTS: extra }).redisCaFiles).toEqual([
      ca,
      extra,
    ]);
  });

  it('a missing or non-PEM file stops the start, naming the variable and the file', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => readPushwireSettings({ PUSHWIRE_REDIS_CA: missing })).toThrow(ConfigError);
    expect(() => readPushwireSettings({ PUSHWIRE_REDIS_CA: missing })).toThrow(
      /PUSHWIRE_REDIS_CA.*ENOENT.*missing\.pem/,
    );
    writeFileSync(join(dir, 'key.pem'), 'not a certificate');
    expect(() => readPushwireSettings({ PUSHWIRE_REDIS_CA: join(dir, 'key.pem') })).toThrow(/holds no PEM certificate/);
    expect(() => readPushwireSettings({ PUSHWIRE_REDIS_CA: ca, NODE_EXTRA_CA_CERTS: missing })).toThrow(
      /NODE_EXTRA_CA_CERTS/,
    );
  });
});

describe('ingest connection limits', () => {
  it('default to a 10 s header deadline, the sync wait + 10 s for the whole request, 5 s keep-alive, 10000 connections', () => {
    expect(readPushwireSettings({})).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 14_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
    });
    expect(readPushwireSettings({ PUSHWIRE_SYNC_WAIT_MS: '1000' }).requestTimeoutMs).toBe(11_000);
  });

  it('read their variables, and refuse a header deadline past the request deadline', () => {
    const env = {
      PUSHWIRE_HEADERS_TIMEOUT_MS: '300',
      PUSHWIRE_REQUEST_TIMEOUT_MS: '600',
      PUSHWIRE_KEEPALIVE_TIMEOUT_MS: '200',
      PUSHWIRE_MAX_CONNECTIONS: '0',
    };
    expect(readPushwireSettings(env)).toMatchObject({
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      keepAliveTimeoutMs: 200,
      maxConnections: 0,
    });
    expect(readPushwireSettings({ PUSHWIRE_REQUEST_TIMEOUT_MS: '2000' }).headersTimeoutMs).toBe(2000);
    expect(() =>
      readPushwireSettings({ PUSHWIRE_HEADERS_TIMEOUT_MS: '900', PUSHWIRE_REQUEST_TIMEOUT_MS: '600' }),
    ).toThrow(/PUSHWIRE_HEADERS_TIMEOUT_MS: must be at most PUSHWIRE_REQUEST_TIMEOUT_MS/);
  });
});
