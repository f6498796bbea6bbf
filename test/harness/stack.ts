// A whole Pushwire for end-to-end tests: private Redis, emulators + Sylk config (the sandbox), and
// ingest and worker as separate `pushwire` processes, exactly as an operator runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '@pushwire/sandbox-emulators';
import { spawnPushwire, type ChildService } from './child-service.js';

export interface StackOptions {
  server?: SandboxOptions['server'];
  appExtras?: SandboxOptions['appExtras'];
  /** Environment for both services (e.g. PUSHWIRE_RETRY_BASE_MS). */
  env?: NodeJS.ProcessEnv;
  /** Number of worker processes. Default 1. */
  workers?: number;
  /**
   * Persistence of the private Redis: `always` for the crash-safety tests (docs/decisions/0010-accepted-means-stored.md), `everysec` as the
   * embedded default. Default: none (the Redis keeps nothing on disk).
   */
  redisAppendfsync?: 'always' | 'everysec';
}

export interface Stack {
  readonly url: string;
  readonly redis: LocalRedis;
  readonly sandbox: Sandbox;
  readonly ingest: ChildService;
  /** Every worker started so far, including those started later with {@link Stack.startWorker}. */
  readonly workers: ChildService[];
  /** The Sylk config directory the services run on. */
  readonly configDir: string;
  /** The environment the services run with (REDIS_URL, PUSHWIRE_HOME and the caller's `env`). */
  readonly env: NodeJS.ProcessEnv;
  /** Spawns one more `pushwire worker` on the same Redis and config; resolves once it consumes. */
  startWorker(): Promise<ChildService>;
  post(path: string, body: unknown, init?: RequestInit): Promise<{ status: number; json: unknown; text: string }>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-e2e-'));
  const redis = await startLocalRedis({ dir: join(dir, 'redis'), appendfsync: options.redisAppendfsync ?? null });
  const port = await freePort();
  const sandbox = await startSandbox({
    dir: join(dir, 'config'),
    server: { port: String(port), ...options.server },
    appExtras: options.appExtras,
  });
  const env = { REDIS_URL: redis.url, PUSHWIRE_HOME: join(dir, 'home'), ...options.env };
  const args = ['--config_dir', sandbox.configDir];
  const workers = Array.from({ length: options.workers ?? 1 }, () => spawnPushwire(['worker', ...args], env));
  const ingest = spawnPushwire(['ingest', ...args], env);
  try {
    await Promise.all([
      ...workers.map((w) => w.waitFor('Pushwire worker consuming')),
      ingest.waitFor('Pushwire ingest listening'),
    ]);
  } catch (error) {
    await Promise.all([ingest.stop('SIGKILL'), ...workers.map((w) => w.stop('SIGKILL'))]);
    await sandbox.close();
    await redis.stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    redis,
    sandbox,
    ingest,
    workers,
    configDir: sandbox.configDir,
    env,
    async startWorker() {
      const worker = spawnPushwire(['worker', ...args], env);
      workers.push(worker);
      await worker.waitFor('Pushwire worker consuming');
      return worker;
    },
    async post(path, body, init = {}) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: res.status, json, text };
    },
    async close() {
      await Promise.all([ingest.stop(), ...workers.map((w) => w.stop())]);
      await sandbox.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
