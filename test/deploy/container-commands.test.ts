// What the containers run, run here: the image's ENTRYPOINT with Compose's ingest and worker commands on the
// sample config and real Redis, and the image's and Compose's health checks against the live ingest.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execForm, instructionsOf, parseDockerfile, splitFlags } from './dockerfile-parser.js';
import { parseYamlFile, readRepoFile, repoPath, REPO_ROOT } from './repo-files.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pwtest-deploy-${randomUUID()}`;
const home = mkdtempSync(join(tmpdir(), 'pushwire-deploy-home-'));

const stages = parseDockerfile(readRepoFile('deploy/Dockerfile')).stages;
const runtime = stages[stages.length - 1];
if (!runtime) throw new Error('deploy/Dockerfile has no stage');
const entrypoint = execForm(instructionsOf(runtime, 'ENTRYPOINT')[0]?.args ?? '') ?? [];
const imageHealthcheck =
  execForm(splitFlags(instructionsOf(runtime, 'HEALTHCHECK')[0]?.args ?? '').rest.replace(/^CMD /, '')) ?? [];

type ComposeService = { command: string[]; healthcheck?: { test?: string[] } };
const [compose] = parseYamlFile(repoPath('docker-compose.yml'), { merge: true }) as Array<{
  services: Record<string, ComposeService>;
}>;
const composeService = (name: string): ComposeService => {
  const found = compose?.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** A container's command line, run from the repository (the image's /app): config from deploy/config, loopback, any port. */
function hostArgs(command: string[], listen: boolean): string[] {
  const args = [...command];
  const set = (flag: string, value: string) => {
    const at = args.indexOf(flag);
    if (at >= 0) args.splice(at, 2, flag, value);
    else args.push(flag, value);
  };
  set('--config_dir', repoPath('deploy/config'));
  if (listen) {
    set('--ip', '127.0.0.1');
    set('--port', '0');
  }
  return args;
}

interface Running {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  stop(): Promise<number | null>;
}

function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Running {
  const [node, ...rest] = entrypoint;
  expect(node).toBe('node');
  const child = spawn(process.execPath, [...rest, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, REDIS_URL, PUSHWIRE_PREFIX: prefix, PUSHWIRE_HOME: home, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output: () => out,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) {
            listeners.delete(check);
            resolve(match);
          }
        };
        listeners.add(check);
        void exited.then((code) => {
          if (listeners.delete(check))
            reject(new Error(`exited (${code}) before printing ${pattern}:\n${out.slice(-3000)}`));
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a health-check command line (["node", "deploy/healthcheck.mjs", url]) as Docker would, in /app. */
function healthcheck(command: string[], port: number): Promise<number> {
  const [node, ...rest] = command;
  expect(node).toBe('node');
  const args = rest.map((arg) => arg.replace('127.0.0.1:8400', `127.0.0.1:${port}`));
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, timeout: 10_000 }, (error) => {
      resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0);
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(home, { recursive: true, force: true });
});

describe("Compose's ingest command through the image's ENTRYPOINT", () => {
  let ingest: Running;
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    ingest = run(hostArgs(composeService('ingest').command, true), { PUSHWIRE_METRICS_PORT: '0' });
    const match = await ingest.waitFor(/ingest listening on http:\/\/127\.0\.0\.1:(\d+)/);
    port = Number(match[1]);
    metricsPort = Number((await ingest.waitFor(/ingest metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
  });
  afterAll(async () => {
    await ingest?.stop();
  });

  it('starts on the sample config (no app enabled): not ready, warned at start, disabled apps on the metrics port', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; disabled_apps: Array<{ appId: string }> };
    expect(body.status).toBe('not ready');
    expect(body.disabled_apps.map((d) => d.appId)).toEqual(['com.example.phone.prod', 'com.example.phone']);
    // The API port, which strangers may reach, says not ready and nothing else (no credential paths).
    const api = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([api.status, await api.json()]).toEqual([503, { status: 'not ready' }]);
    expect(ingest.output()).toMatch(/No app is enabled in .*: every push is refused and \/readyz answers 503/);
  });

  it("passes the image's HEALTHCHECK (/healthz); Compose's ingest check (/readyz) waits for an app", async () => {
    expect(imageHealthcheck).toContain('deploy/healthcheck.mjs');
    expect(await healthcheck(imageHealthcheck, port)).toBe(0);
    expect(await healthcheck(composeService('ingest').healthcheck?.test?.slice(1) ?? [], port)).toBe(1);
  });

  it('the health checks fail when nothing answers or the path is wrong', async () => {
    expect(await healthcheck(imageHealthcheck, await closedPort())).toBe(1);
    const wrongPath = imageHealthcheck.map((arg) => arg.replace('/healthz', '/no-such-path'));
    expect(await healthcheck(wrongPath, port)).toBe(1);
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    expect(await ingest.stop()).toBe(0);
  });
});

describe("Compose's worker command through the image's ENTRYPOINT", () => {
  it('starts on the sample config (no app enabled yet) and stops on SIGTERM with exit code 0', async () => {
    const worker = run(hostArgs(composeService('worker').command, false));
    try {
      await worker.waitFor(/Pushwire worker consuming 0 app queue\(s\)/);
      expect(worker.output()).toContain('com.example.phone.prod id for apple platform will not be available');
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });
});
