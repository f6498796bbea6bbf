// Which TLS trust each Redis connection gets: PUSHWIRE_REDIS_CA's files on top of Node's roots, for rediss only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis, createProducerRedis, createWorkerRedis } from './redis.js';
import { RedisCaError, redisTlsOptions } from './redis-tls.js';

const dir = mkdtempSync(join(tmpdir(), 'pushwire-redis-tls-'));
// Any PEM certificate will do: Node's first root stands in for a private CA.
const caPem = rootCertificates[0]!;
const caFile = join(dir, 'redis-ca.pem');
writeFileSync(caFile, caPem);
const notPem = join(dir, 'not-a-cert.txt');
writeFileSync(notPem, 'hello');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The options a client was made with; lazyConnect keeps it from dialling anything. */
const tlsOf = (client: Redis) => {
  client.disconnect();
  return client.options.tls;
};

describe('redisTlsOptions', () => {
  it('adds nothing without CA files: Node verifies with its own roots and NODE_EXTRA_CA_CERTS', () => {
    expect(redisTlsOptions([])).toBeUndefined();
  });

  it("trusts the CA files besides Node's default roots", () => {
    const ca = redisTlsOptions([caFile])?.ca;
    expect(ca).toEqual([...rootCertificates, caPem]);
  });

  it('names a missing or non-PEM file, never its content', () => {
    expect(() => redisTlsOptions([join(dir, 'missing.pem')])).toThrow(RedisCaError);
    expect(() => redisTlsOptions([join(dir, 'missing.pem')])).toThrow(/missing\.pem: ENOENT/);
    expect(() => redisTlsOptions([notPem])).toThrow(/not-a-cert\.txt: holds no PEM certificate/);
  });
});

describe('connections get the endpoint’s trust', () => {
  const endpoint = (redisUrl: string) => ({ redisUrl, redisCaFiles: [caFile] });

  it('rediss:// with CA files: tls.ca, for producers, workers and plain connections alike', () => {
    const url = 'rediss://pushwire:secret@127.0.0.1:6380';
    for (const client of [
      createProducerRedis(endpoint(url), { lazyConnect: true }),
      createWorkerRedis(endpoint(url), { lazyConnect: true }),
      connectRedis(endpoint(url), { lazyConnect: true }),
    ]) {
      expect(client.options).toMatchObject({ username: 'pushwire', password: 'secret', port: 6380 });
      expect((tlsOf(client) as { ca?: unknown })?.ca).toEqual([...rootCertificates, caPem]);
    }
  });

  it('keeps the caller’s other TLS options', () => {
    const client = connectRedis(endpoint('rediss://127.0.0.1:6380'), {
      lazyConnect: true,
      tls: { servername: 'redis.internal' },
    });
    expect(tlsOf(client)).toMatchObject({ servername: 'redis.internal', ca: [...rootCertificates, caPem] });
  });

  it('rediss:// without CA files: TLS with Node’s default trust', () => {
    expect(tlsOf(createWorkerRedis({ redisUrl: 'rediss://127.0.0.1:6380' }, { lazyConnect: true }))).toBe(true);
    expect(tlsOf(createWorkerRedis('rediss://127.0.0.1:6380', { lazyConnect: true }))).toBe(true);
  });

  it('redis:// never turns TLS on, CA files or not', () => {
    expect(tlsOf(createWorkerRedis(endpoint('redis://127.0.0.1:6379'), { lazyConnect: true }))).toBeUndefined();
  });

  it('a Sentinel primary over rediss gets the CA too', () => {
    const client = connectRedis(endpoint('rediss+sentinel://127.0.0.1:26379/primary'), { lazyConnect: true });
    expect(client.options).toMatchObject({ enableTLSForSentinelMode: true });
    expect((tlsOf(client) as { ca?: unknown })?.ca).toEqual([...rootCertificates, caPem]);
  });
});
