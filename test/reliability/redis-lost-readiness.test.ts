// A process that lost its Redis for more than a few seconds says so: the worker port's /readyz gives the
// reason and how long, `pushwire_redis_down_seconds` / `pushwire_redis_connections_down` count it, the API
// port's /readyz is 503; all back to ready once Redis is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { spawnPushwire, type ChildService } from '../harness/index.js';
import { waitUntil } from './support/wait-until.js';

let dir: string;
let redis: LocalRedis;
let sandbox: Sandbox;
let service: ChildService;
let api: string;
let workerPort: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pushwire-redis-lost-'));
  redis = await startLocalRedis({ dir: join(dir, 'redis') });
  const port = await freePort();
  const health = await freePort();
  sandbox = await startSandbox({ dir: join(dir, 'config'), server: { port: String(port) } });
  service = spawnPushwire(['start', '--config_dir', sandbox.configDir], {
    REDIS_URL: redis.url,
    PUSHWIRE_HOME: join(dir, 'home'),
    PUSHWIRE_WORKER_HTTP_PORT: String(health),
  });
  await service.waitFor('Pushwire ingest listening', 60_000);
  api = `http://127.0.0.1:${port}`;
  workerPort = `http://127.0.0.1:${health}`;
}, 90_000);
afterAll(async () => {
  await service?.stop('SIGKILL');
  await sandbox?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Readiness {
  ready: boolean;
  reasons: string[];
  redis_down_ms: number;
}

async function readyz(): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`${workerPort}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`${workerPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in /metrics`);
  return Number(line.split(' ')[1]);
}

describe('a process that lost its Redis', () => {
  it('is shown on /readyz and in metrics after a few seconds, and ready again once Redis is back', async () => {
    await waitUntil(async () => (await readyz()).status === 200);
    expect(await gauge('pushwire_redis_connections_down')).toBe(0);
    expect(await gauge('pushwire_redis_down_seconds')).toBe(0);

    await redis.stop();
    await waitUntil(
      async () =>
        (await readyz()).body.reasons.some((r) => /^Redis lost for \d+ s \(\d+ connection\(s\) down\)$/.test(r)),
      { timeoutMs: 20_000 },
    );
    const lost = await readyz();
    expect(lost.status).toBe(503);
    expect(lost.body.redis_down_ms).toBeGreaterThan(3_000);
    expect(await gauge('pushwire_redis_down_seconds')).toBeGreaterThan(3);
    // Every role's connections count: ingest's, the worker's and the token storage's.
    expect(await gauge('pushwire_redis_connections_down')).toBeGreaterThanOrEqual(8);
    expect((await fetch(`${api}/readyz`)).status).toBe(503);

    await redis.restart();
    await waitUntil(async () => (await readyz()).status === 200, { timeoutMs: 20_000 });
    expect((await readyz()).body.redis_down_ms).toBe(0);
    expect(await gauge('pushwire_redis_connections_down')).toBe(0);
    await waitUntil(async () => (await fetch(`${api}/readyz`)).status === 200);
  }, 60_000);
});
