// What the compiled production process loads: on a normal configuration, never test code (the emulators,
// node-forge), cassandra-driver or the Sylk pickle reader; each of those only when its feature is used. Every
// module a child loads is recorded by load-recorder.mjs (preloaded with --import), so a load can't go unseen.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APPS, startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { builtPath, readBuildConfig } from './compiled-output.js';
import { repoPath, REPO_ROOT } from './repo-files.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pwtest-lazy-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), 'pushwire-lazy-'));
const MAIN = builtPath('services/pushwire/src/main.ts', readBuildConfig('services/pushwire/tsconfig.build.json'));
const RECORDER = repoPath('test/deploy/load-recorder.mjs');

/** What production must not load unless the feature is used, by URL. */
const LAZY = {
  testCode: /\/(?:test\/|packages\/sandbox-emulators\/)/,
  nodeForge: /\/node-forge[@/]/,
  cassandraDriver: /\/cassandra-driver[@/]/,
  pickleReader: /\/pickleparser[@/]|\/packages\/storage\/dist\/sylk-pickle\.js$/,
} as const;
/** Development-only tooling, never in a compiled process. */
const DEV_ONLY = { typescriptSources: /\.ts$/, tsx: /\/tsx[@/]/ } as const;

const loadedMatching = (loaded: string[], pattern: RegExp) => loaded.filter((url) => pattern.test(url));

interface Child {
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /**
   * Resolves with the exit code and every module URL the process loaded: at once for a one-shot command, after a
   * SIGTERM (graceful stop) for a service (`stop`).
   */
  finish(options?: { stop: boolean }): Promise<{ code: number | null; loaded: string[] }>;
}

/** `node --import load-recorder.mjs services/pushwire/dist/main.js <args>`: the compiled command, plain node. */
function runCompiled(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const log = join(dir, `${name}.loaded`);
  appendFileSync(log, '');
  const child = spawn(process.execPath, ['--import', RECORDER, MAIN, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      REDIS_URL,
      PUSHWIRE_PREFIX: prefix,
      PUSHWIRE_HOME: join(dir, `${name}-home`),
      PUSHWIRE_LOAD_LOG: log,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  return {
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out.slice(-3000)}`)),
          timeoutMs,
        );
        const finish = (error: Error | null, match?: RegExpExecArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match as RegExpExecArray);
        };
        const check = () => {
          const match = pattern.exec(out);
          if (match) finish(null, match);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.has(check))
            finish(new Error(`exited (${code}) before printing ${pattern}:\n${out.slice(-3000)}`));
        });
        check();
      });
    },
    async finish({ stop } = { stop: false }) {
      if (stop && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      return { code, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

let sandbox: Sandbox;

beforeAll(async () => {
  // Emulators and a Sylk config directory made by the test process: for the child, an ordinary --config_dir.
  sandbox = await startSandbox({ dir: join(dir, 'config') });
});

afterAll(async () => {
  await sandbox?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('`pushwire start` (compiled) on a configuration, serving pushes', () => {
  let result: { code: number | null; loaded: string[] };
  let output = '';

  beforeAll(async () => {
    const child = runCompiled('start', [
      'start',
      '--config_dir',
      sandbox.configDir,
      '--ip',
      '127.0.0.1',
      '--port',
      '0',
    ]);
    try {
      const [, port] = await child.waitFor(/Pushwire ingest listening on http:\/\/127\.0\.0\.1:(\d+)/);
      await child.waitFor(new RegExp(`Pushwire worker consuming ${SANDBOX_APPS.length} app queue`));
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/`)).status).toBe(200);
      // One push through ingest, Redis, the worker and the (emulated) APNs, and one v2 registration in storage.
      const push = await post(`${url}/push`, {
        'app-id': 'com.pushwire.sandbox.sylk.dev',
        platform: 'apple',
        token: 'a'.repeat(64),
        event: 'incoming_session',
        'call-id': `lazy-${randomUUID()}`,
        from: 'alice@example.com',
        to: 'bob@example.com',
        'media-type': 'audio',
        silent: true,
      });
      expect(push.status, await push.clone().text()).toBe(200);
      const register = await post(`${url}/v2/tokens/lazy-${randomUUID()}@example.com`, {
        'app-id': 'com.pushwire.sandbox.sylk.dev',
        platform: 'firebase',
        'device-id': 'lazy-device',
        token: 'fcm-token-lazy',
      });
      expect(register.status, await register.clone().text()).toBe(200);
    } finally {
      result = await child.finish({ stop: true });
      output = child.output();
    }
  });

  it('ran the compiled code and stopped cleanly (the recorder saw it: this check can fail)', () => {
    expect(result.code, output.slice(-3000)).toBe(0);
    for (const built of [
      'services/pushwire/dist/main.js',
      'services/ingest/dist/index.js',
      'services/worker/dist/index.js',
      'packages/storage/dist/index.js',
    ]) {
      expect(result.loaded, built).toContain(`file://${repoPath(built)}`);
    }
    expect(loadedMatching(result.loaded, /\/node_modules\/.*\/(?:ioredis|bullmq|hono)\//).length).toBeGreaterThan(0);
  });

  it.each(Object.entries({ ...LAZY, ...DEV_ONLY }))('never loaded %s', (_what, pattern) => {
    expect(loadedMatching(result.loaded, pattern)).toEqual([]);
  });
});

describe('the lazy modules load when their feature is used', () => {
  it('`pushwire tokens import` loads the pickle reader, still no cassandra-driver or test code', async () => {
    const child = runCompiled('import', [
      'tokens',
      'import',
      repoPath('packages/storage/fixtures/webrtc_device_tokens'),
      '--config_dir',
      sandbox.configDir,
    ]);
    const { code, loaded } = await child.finish();
    expect(code, child.output()).toBe(0);
    expect(child.output()).toMatch(/imported \d+ device\(s\) into redis storage/);
    expect(loadedMatching(loaded, LAZY.pickleReader).length).toBeGreaterThan(0);
    for (const pattern of [LAZY.cassandraDriver, LAZY.testCode, LAZY.nodeForge, DEV_ONLY.typescriptSources]) {
      expect(loadedMatching(loaded, pattern)).toEqual([]);
    }
  });

  it('Cassandra storage in general.ini loads cassandra-driver (here: a cluster that is down), not the pickle reader', async () => {
    const cassandraConfig = await startSandbox({ dir: join(dir, 'cassandra-config') });
    try {
      appendFileSync(
        join(cassandraConfig.configDir, 'general.ini'),
        `\n[Cassandra]\ncluster_contact_points = 127.0.0.1:${await closedPort()}\nkeyspace = pushwire_lazy\n`,
      );
      const child = runCompiled('cassandra', ['tokens', 'list', '--config_dir', cassandraConfig.configDir]);
      const { code, loaded } = await child.finish();
      expect(code, child.output()).not.toBe(0);
      expect(loadedMatching(loaded, LAZY.cassandraDriver).length).toBeGreaterThan(0);
      for (const pattern of [LAZY.pickleReader, LAZY.testCode, LAZY.nodeForge])
        expect(loadedMatching(loaded, pattern)).toEqual([]);
    } finally {
      await cassandraConfig.close();
    }
  });

  it('`pushwire start` without a config runs the sandbox from the compiled emulators (packages/sandbox-emulators/dist), with node-forge', async () => {
    const child = runCompiled('sandbox', ['start', '--port', '0']);
    let port: string | undefined;
    try {
      [, port] = await child.waitFor(/Pushwire ingest listening on http:\/\/127\.0\.0\.1:(\d+)/);
      await child.waitFor(/SANDBOX MODE/);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    } finally {
      const { code, loaded } = await child.finish({ stop: true });
      expect(code, child.output()).toBe(0);
      expect(loaded).toContain(`file://${repoPath('packages/sandbox-emulators/dist/index.js')}`);
      expect(loadedMatching(loaded, LAZY.nodeForge).length).toBeGreaterThan(0);
      for (const pattern of [LAZY.cassandraDriver, LAZY.pickleReader, DEV_ONLY.typescriptSources, DEV_ONLY.tsx]) {
        expect(loadedMatching(loaded, pattern)).toEqual([]);
      }
    }
  });
});
