// A worker stopped right after its Redis came back (connections still waiting to reconnect) closes at once
// and leaves no connection behind; the `pushwire worker` process exits 0 on SIGTERM instead of hanging
// until the forced exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { APP_TYPES } from '@pushwire/apps';
import { loadConfig } from '@pushwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../packages/logging/src/index.js';
import { startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { startWorker } from '../../services/worker/src/index.js';
import { startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { spawnPushwire } from '../harness/index.js';
import { tcpPortOwners } from './support/socket-owners.js';
import { waitUntil } from './support/wait-until.js';

const logger = createLogger({
  name: 'worker-close',
  level: 'warn',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});
/** Far below the process's forced exit (30 s): a close that waits on nothing but its own connections. */
const CLOSE_BOUND_MS = 10_000;

let dir: string;
let redis: LocalRedis;
let sandbox: Sandbox;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pushwire-worker-close-'));
  redis = await startLocalRedis({ dir: join(dir, 'redis') });
  sandbox = await startSandbox({ dir: join(dir, 'config') });
});
afterAll(async () => {
  await sandbox?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker shutdown after its Redis restarted', () => {
  it('close() resolves while connections still wait to reconnect, and no connection is left open', async () => {
    const config = loadConfig({
      configDir: sandbox.configDir,
      env: { REDIS_URL: redis.url },
      knownAppTypes: Object.keys(APP_TYPES),
    });
    const worker = await startWorker({ config, logger, storage: null });
    await redis.stop();
    await waitUntil(() => !worker.readiness().ready, { timeoutMs: 15_000 });
    await redis.restart();
    const outcome = await Promise.race([
      worker.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still closing'), CLOSE_BOUND_MS).unref()),
    ]);
    expect(outcome).toBe('closed');
    // Nothing reconnects after the close (a connection BullMQ was handed is the caller's to close).
    await waitUntil(() => tcpPortOwners([process.pid], redis.port).size === 0, {
      timeoutMs: 5_000,
      describe: () => `${tcpPortOwners([process.pid], redis.port).size} connection(s) to Redis still open`,
    });
  });

  it('`pushwire worker` exits 0 on SIGTERM right after its Redis restarted', async () => {
    const child = spawnPushwire(['worker', '--config_dir', sandbox.configDir], {
      REDIS_URL: redis.url,
      PUSHWIRE_HOME: join(dir, 'home'),
    });
    try {
      await child.waitFor('Pushwire worker consuming');
      await redis.stop();
      await child.waitFor('redis connection error');
      await redis.restart();
      expect(await child.stop('SIGTERM')).toBe(0);
    } finally {
      await child.stop('SIGKILL');
    }
  }, 60_000);
});
