// Slow clients are cut off: ingest (in this process, real Redis) with short limits, driven by raw sockets. A client
// that sends headers and then trickles its body, or never finishes its headers, is answered 408 and closed while
// other pushes are answered normally; idle keep-alive connections are closed; connections past the cap are refused.
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { APP_TYPES, getAppType } from '@pushwire/apps';
import { loadConfig, type PushwireConfig } from '@pushwire/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../packages/logging/src/index.js';
import {
  makeConfigDir,
  serviceAccountJson,
  type TestConfigDir,
} from '../../packages/core/src/test-support/config-dir.js';
import { startIngest, type RunningIngest } from '../../services/ingest/src/index.js';
import { openTokenStorage } from '../../services/pushwire/src/storage-from-config.js';
import { waitUntil } from '../reliability/support/wait-until.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const APP = 'com.example.slow';
const logger = createLogger({
  name: 'slow-clients',
  level: 'warn',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
const running: Array<{ ingest: RunningIngest; close(): Promise<void> }> = [];
const prefixes: string[] = [];
const dirs: TestConfigDir[] = [];

async function ingestWith(env: Record<string, string>): Promise<RunningIngest> {
  const dir = makeConfigDir();
  dirs.push(dir);
  dir.credential('sa.json', serviceAccountJson());
  dir.general('[server]\nreturn_async = false\n');
  dir.applications(
    `[app]\napp_id = ${APP}\napp_type = sylk\napp_platform = firebase\nfirebase_authorization_file = sa.json\n` +
      'firebase_push_url = https://fcm.googleapis.com/v1/projects/myapp-12345/messages:send\n',
  );
  const prefix = `pwtest-slow-${randomUUID()}`;
  prefixes.push(prefix);
  const config: PushwireConfig = loadConfig({
    configDir: dir.dir,
    overrides: { port: 0 },
    env: { REDIS_URL, PUSHWIRE_PREFIX: prefix, ...env },
    knownAppTypes: Object.keys(APP_TYPES),
  });
  const storage = await openTokenStorage(config, {}, logger);
  const ingest = await startIngest({
    config,
    logger,
    storage,
    lookupApp: (appId, platform) => (appId === APP && platform === 'firebase' ? getAppType('sylk')?.rules : undefined),
  });
  running.push({
    ingest,
    close: async () => {
      await ingest.close();
      await storage.close();
    },
  });
  return ingest;
}

afterAll(async () => {
  for (const r of running) await r.close();
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
  for (const dir of dirs) dir.remove();
});

const PUSH = JSON.stringify({
  'app-id': APP,
  platform: 'firebase',
  token: 'fcm-token',
  event: 'incoming_session',
  'call-id': 'slow-1',
  from: 'a@x',
  to: 'b@x',
  'media-type': 'audio',
  silent: true,
});

/** A raw connection that records what the server sends and when it closes. */
function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** One whole push on a fresh connection (Connection: close), answered in full. */
async function push(port: number): Promise<string> {
  const conn = await open(port);
  conn.socket.write(
    `POST /push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(PUSH)}\r\nConnection: close\r\n\r\n${PUSH}`,
  );
  await conn.closed;
  return conn.received();
}

describe('slow clients', () => {
  it('closes a client that trickles its body past the request timeout (408), while other pushes are answered', async () => {
    const ingest = await ingestWith({ PUSHWIRE_HEADERS_TIMEOUT_MS: '300', PUSHWIRE_REQUEST_TIMEOUT_MS: '600' });
    const slow = await open(ingest.port);
    slow.socket.write(
      `POST /push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(PUSH)}\r\n\r\n`,
    );
    let sent = 0;
    let closed = false;
    void slow.closed.then(() => (closed = true));
    // One byte at a time, each well inside any idle timeout, forever: only the request deadline can end it.
    const trickle = setInterval(() => {
      if (!closed && sent < PUSH.length - 1) slow.socket.write(PUSH[sent++]!);
    }, 20);
    try {
      expect(await push(ingest.port)).toMatch(/^HTTP\/1\.1 202 /);
      await slow.closed;
      expect(sent).toBeLessThan(PUSH.length - 1);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(await push(ingest.port)).toMatch(/^HTTP\/1\.1 202 /);
    } finally {
      clearInterval(trickle);
      slow.socket.destroy();
    }
  });

  it('closes a client that never finishes its headers (408) and an idle keep-alive connection', async () => {
    const ingest = await ingestWith({
      PUSHWIRE_HEADERS_TIMEOUT_MS: '300',
      PUSHWIRE_REQUEST_TIMEOUT_MS: '5000',
      PUSHWIRE_KEEPALIVE_TIMEOUT_MS: '200',
    });
    const stalled = await open(ingest.port);
    stalled.socket.write('POST /push HTTP/1.1\r\nHost: x\r\n');
    await stalled.closed;
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408 /);

    const idle = await open(ingest.port);
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.closed;
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses connections past PUSHWIRE_MAX_CONNECTIONS and serves again once one closes', async () => {
    const ingest = await ingestWith({ PUSHWIRE_MAX_CONNECTIONS: '2', PUSHWIRE_KEEPALIVE_TIMEOUT_MS: '60000' });
    const held = [await open(ingest.port), await open(ingest.port)];
    // Each held connection has been served once, so the server has surely counted it.
    for (const conn of held) {
      conn.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitUntil(async () => conn.received().includes('"status":"ok"'));
    }
    const refused = await open(ingest.port);
    refused.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await refused.closed;
    expect(refused.received()).toBe('');
    held[0]!.socket.destroy();
    await waitUntil(async () => /^HTTP\/1\.1 202 /.test(await push(ingest.port)));
    held[1]!.socket.destroy();
  });
});
