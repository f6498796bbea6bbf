// The stack the bench measures: private Redis, the emulators, and `pushwire ingest` + `pushwire worker` run
// as the compiled build (plain node on services/pushwire/dist, what production runs), optionally profiled.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort, startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '@pushwire/sandbox-emulators';

/**
 * The compiled `pushwire` the stack runs. `BENCH_PUSHWIRE_MAIN` points at another build (e.g. a worktree of an
 * earlier commit, for before/after figures from the same bench, load generators and machine state).
 */
export function compiledMain(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_PUSHWIRE_MAIN || fileURLToPath(new URL('../../services/pushwire/dist/main.js', import.meta.url));
}

export interface BenchStackOptions {
  server?: SandboxOptions['server'];
  appExtras?: SandboxOptions['appExtras'];
  /** Worker processes started with the stack (0: none until {@link BenchStack.startWorker}). Default 1. */
  workers?: number;
  /** Extra environment for both services. */
  env?: NodeJS.ProcessEnv;
  /** The compiled main.js to run. Default {@link compiledMain}. */
  main?: string;
  /** Extra node options for the services (e.g. `--trace-gc`). Default none. */
  nodeArgs?: readonly string[];
  /** Write a V8 CPU profile of each service here when it exits (`node --cpu-prof`). Default: none. */
  cpuProfileDir?: string;
}

/** One service process; only the tail of its output is kept (a busy service logs megabytes). */
export interface BenchService {
  readonly role: 'ingest' | 'worker';
  readonly pid: number;
  readonly process: ChildProcess;
  /** `Date.now()` at spawn: a CPU profile's time 0 is a few ms later (Node's own start). */
  readonly spawnedAt: number;
  /** Where its CPU profile goes when it exits, or null. */
  readonly profileDir: string | null;
  tail(): string;
}

export interface BenchStack {
  readonly url: string;
  readonly redis: LocalRedis;
  readonly sandbox: Sandbox;
  readonly ingest: BenchService;
  readonly workers: readonly BenchService[];
  /** The private redis-server's process id (from INFO), for its CPU and memory. */
  redisPid(): Promise<number>;
  /** Starts one more worker; resolves once it consumes. */
  startWorker(): Promise<BenchService>;
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  /** SIGTERM to the services (a graceful stop, which also writes their CPU profiles), then the rest. */
  close(): Promise<void>;
}

export async function startBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  const main = options.main || compiledMain();
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first (\`pnpm bench\` does)`);
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-bench-stack-'));
  const redis = await startLocalRedis({ dir: join(dir, 'redis') });
  const port = await freePort();
  const sandbox = await startSandbox({
    dir: join(dir, 'config'),
    server: { port: String(port), ...options.server },
    appExtras: options.appExtras,
  });
  const env = { ...process.env, REDIS_URL: redis.url, PUSHWIRE_HOME: join(dir, 'home'), ...options.env };
  const args = ['--config_dir', sandbox.configDir];
  const services: BenchService[] = [];
  const start = async (role: 'ingest' | 'worker', ready: string, n: number) => {
    const service = spawnService(
      main,
      role,
      args,
      env,
      options.nodeArgs ?? [],
      options.cpuProfileDir ? join(options.cpuProfileDir, `${role}-${n}`) : null,
    );
    services.push(service.service);
    await service.ready(ready);
    return service.service;
  };
  try {
    // Workers first: they create nothing ingest needs, but consuming before the first push keeps warm-up short.
    await Promise.all(
      Array.from({ length: options.workers ?? 1 }, (_, i) => start('worker', 'Pushwire worker consuming', i + 1)),
    );
    await start('ingest', 'Pushwire ingest listening', 1);
  } catch (error) {
    for (const s of services) s.process.kill('SIGKILL');
    await sandbox.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    redis,
    sandbox,
    ingest: services.find((s) => s.role === 'ingest')!,
    get workers() {
      return services.filter((s) => s.role === 'worker');
    },
    async redisPid() {
      const client = new Redis(redis.url);
      try {
        return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
      } finally {
        client.disconnect();
      }
    },
    startWorker: () =>
      start('worker', 'Pushwire worker consuming', services.filter((s) => s.role === 'worker').length + 1),
    async post(path, body) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    },
    async close() {
      await Promise.all(services.map(stopService));
      await sandbox.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnService(
  main: string,
  role: 'ingest' | 'worker',
  args: string[],
  env: NodeJS.ProcessEnv,
  extraNodeArgs: readonly string[],
  profileDir: string | null,
) {
  const nodeArgs = [...extraNodeArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, main, role, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let tail = '';
  let waiting: { text: string; resolve: () => void } | null = null;
  const onData = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-8000);
    if (waiting && tail.includes(waiting.text)) {
      waiting.resolve();
      waiting = null;
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const service: BenchService = { role, pid: child.pid ?? -1, process: child, spawnedAt, profileDir, tail: () => tail };
  const ready = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${role} did not print "${text}" within 30 s:\n${tail}`)),
        30_000,
      );
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${role} exited (${code}) before "${text}":\n${tail}`));
      });
      if (tail.includes(text)) done();
      else waiting = { text, resolve: done };
    });
  return { service, ready };
}

function stopService(service: BenchService): Promise<void> {
  const child = service.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
