// Redis AUTH and TLS: ingest and worker processes on a Redis that speaks only TLS (`rediss://`) and only to an
// ACL user, trusting its private CA through PUSHWIRE_REDIS_CA; a wrong password or an untrusted certificate
// stops the start with an error that names the URL without its password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../services/pushwire/src/local-redis.js';
import { startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { spawnPushwire, type ChildService } from '../harness/child-service.js';
import { startTlsRedis, type TlsRedis } from '../harness/tls-redis.js';

const USER = 'pushwire';
// Distinctive, so a leak into any log line would be found.
const PASSWORD = 'h6-Redis-pw-4f7c';
const WRONG_PASSWORD = 'h6-wrong-pw-9d2e';
const APP = 'com.pushwire.sandbox.sylk.dev';
const TOKEN = 'c'.repeat(64);

const dir = mkdtempSync(join(tmpdir(), 'pushwire-redis-tls-'));
let redis: TlsRedis;
let sandbox: Sandbox;
let url: string;
const services: ChildService[] = [];

const envFor = (redisUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  REDIS_URL: redisUrl,
  PUSHWIRE_HOME: join(dir, 'home'),
  // A NODE_EXTRA_CA_CERTS of the test runner's must not make an untrusted certificate pass by accident.
  NODE_EXTRA_CA_CERTS: '',
  ...extra,
});
const spawnRole = (role: 'ingest' | 'worker', env: NodeJS.ProcessEnv) => {
  const child = spawnPushwire([role, '--config_dir', sandbox.configDir], env);
  services.push(child);
  return child;
};

beforeAll(async () => {
  redis = await startTlsRedis(join(dir, 'redis'), USER, PASSWORD);
  const port = await freePort();
  sandbox = await startSandbox({ dir: join(dir, 'config'), server: { port: String(port) } });
  url = `http://127.0.0.1:${port}`;
  const env = envFor(redis.url, { PUSHWIRE_REDIS_CA: redis.caFile });
  const worker = spawnRole('worker', env);
  const ingest = spawnRole('ingest', env);
  await Promise.all([worker.waitFor('Pushwire worker consuming'), ingest.waitFor('Pushwire ingest listening')]);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await sandbox?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; json: { code?: number; data?: { code?: number } } }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { code?: number; data?: { code?: number } } };
}

describe('Redis over TLS with an ACL user (rediss://user:password@host)', () => {
  it('accepts and delivers pushes (v1 Apple and Firebase, v2 through token storage) with every connection as that user', async () => {
    const apple = await post('/push', {
      'app-id': APP,
      platform: 'apple',
      token: TOKEN,
      event: 'incoming_session',
      'call-id': 'tls-call-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'audio',
      silent: true,
    });
    expect([apple.status, apple.json.data?.code]).toEqual([200, 200]);
    const firebase = await post('/push', {
      'app-id': APP,
      platform: 'firebase',
      token: 'fcm-tls-1',
      event: 'message',
      'call-id': 'tls-msg-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'chat',
      silent: true,
      content: 'hi',
      'content-type': 'text/plain',
    });
    expect([firebase.status, firebase.json.data?.code]).toEqual([200, 200]);
    // v2: the device is stored in Redis (storage connection), then pushed to through the queue.
    expect(
      (
        await post('/v2/tokens/bob@example.com', {
          'app-id': APP,
          platform: 'ios',
          'device-id': 'tls-dev',
          token: TOKEN,
        })
      ).status,
    ).toBe(200);
    const v2 = await post('/v2/tokens/bob@example.com/push', {
      event: 'cancel',
      'call-id': 'tls-call-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
    });
    expect(v2.status).toBe(200);

    expect(sandbox.apns.requests.filter((r) => r.delivered).map((r) => r.token)).toEqual([TOKEN, TOKEN]);
    expect(sandbox.fcm.requests.filter((r) => r.status === 200)).toHaveLength(1);

    const admin = redis.connect();
    try {
      await admin.connect();
      const clients = String(await admin.client('LIST'))
        .trim()
        .split('\n');
      // Ingest (producer, results subscriber, storage) and worker (queues, BullMQ workers, log sinks) are all in.
      expect(clients.length).toBeGreaterThan(6);
      expect(clients.filter((c) => !/ user=pushwire /.test(` ${c} `))).toEqual([]);
    } finally {
      admin.disconnect();
    }
    // The password never reaches a log line (the effective configuration is logged redacted).
    for (const service of services) expect(service.output()).not.toContain(PASSWORD);
  });

  it('the CLI reads the same Redis (pushwire calls show)', async () => {
    const cli = spawnPushwire(
      ['calls', 'show', 'tls-call-1', '--json'],
      envFor(redis.url, { PUSHWIRE_REDIS_CA: redis.caFile }),
    );
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('"call_id": "tls-call-1"');
  });

  it('a wrong password stops the start with a clear error naming the URL without the password', async () => {
    const worker = spawnRole(
      'worker',
      envFor(redis.urlWithPassword(WRONG_PASSWORD), { PUSHWIRE_REDIS_CA: redis.caFile }),
    );
    expect(await worker.exited).toBe(1);
    const output = worker.output();
    expect(output).toContain(
      `Can not start: cannot reach Redis at rediss://${USER}:[redacted]@127.0.0.1:${redis.port}`,
    );
    expect(output).toMatch(/WRONGPASS.*check the user and password in REDIS_URL/);
    expect(output).not.toContain(WRONG_PASSWORD);
  });

  it('an untrusted server certificate stops the start, saying to set PUSHWIRE_REDIS_CA', async () => {
    const worker = spawnRole('worker', envFor(redis.url));
    expect(await worker.exited).toBe(1);
    const output = worker.output();
    expect(output).toMatch(
      /cannot reach Redis at rediss:\/\/pushwire:\[redacted\]@.*certificate.*set PUSHWIRE_REDIS_CA/,
    );
    expect(output).not.toContain(PASSWORD);
  });

  it('NODE_EXTRA_CA_CERTS alone is trusted too', async () => {
    const worker = spawnRole('worker', envFor(redis.url, { NODE_EXTRA_CA_CERTS: redis.caFile }));
    // Consuming: it passed the start checks and its BullMQ workers are connected.
    await worker.waitFor('Pushwire worker consuming');
    expect(worker.output()).not.toContain('Can not start');
    await worker.stop('SIGKILL');
  });
});
