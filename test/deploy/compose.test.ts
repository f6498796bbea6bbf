// docker-compose.yml: valid against the Compose Specification, and wired the way Pushwire needs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../services/pushwire/src/cli-args.js';
import { composeValidator } from './compose-schema.js';
import { parseYamlFile, readRepoFile, repoFileExists, repoPath, REPO_ROOT, rootPackage } from './repo-files.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  stop_grace_period?: string;
  container_name?: string;
  entrypoint?: string | string[];
  deploy?: { replicas?: number };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const [document] = parseYamlFile(repoPath('docker-compose.yml'), { merge: true });
const compose = document as Compose;
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const seconds = (duration: string | undefined): number => {
  const match = /^(\d+)s$/.exec(duration ?? '');
  if (!match) throw new Error(`not a whole-seconds duration: ${duration}`);
  return Number(match[1]);
};

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('is valid against the Compose Specification schema', () => {
    expect(validate(document)).toEqual([]);
  });

  it('the schema check catches a misspelt key (so the check above means something)', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.worker = { ...broken.services.worker, healtcheck: { disable: true } };
    expect(validate(broken)).toContainEqual(
      expect.stringMatching(/\/services\/worker.*additional properties \(healtcheck\)/),
    );
  });

  it('runs Redis so that no accepted push can be evicted, with AOF persistence on a volume and a health check', () => {
    const redis = service('redis');
    const command = redis.command?.join(' ') ?? '';
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
    const dataVolume = redis.volumes?.find((v) => v.endsWith(':/data'));
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.split(':')[0]);
    expect(redis.healthcheck?.test?.join(' ')).toMatch(/redis-cli ping/);
  });

  it('builds both Pushwire services from deploy/Dockerfile and points them at the redis service', () => {
    for (const name of ['ingest', 'worker']) {
      const s = service(name);
      expect(s.build?.context).toBe('.');
      // The image's ENTRYPOINT (the compiled command, plain node) runs; Compose only passes the arguments.
      expect(s.entrypoint).toBeUndefined();
      expect(s.image).toBe(`pushwire:${rootPackage().version}`);
      expect(repoFileExists(s.build?.dockerfile ?? '')).toBe(true);
      expect(new URL(s.environment?.REDIS_URL ?? '').host).toBe('redis:6379');
      expect(s.depends_on?.redis?.condition).toBe('service_healthy');
      expect(s.volumes).toContain('./deploy/config:/etc/sylk-pushserver:ro');
      // Longer than Pushwire's 30 s graceful stop.
      expect(seconds(s.stop_grace_period)).toBeGreaterThanOrEqual(35);
    }
  });

  it('publishes ingest on 8400, listening on every interface, with readiness on /readyz', () => {
    const ingest = service('ingest');
    const cli = parseCli(ingest.command ?? [], {});
    expect(cli).toMatchObject({ command: ['ingest'], configDir: '/etc/sylk-pushserver', ip: '0.0.0.0', port: null });
    expect(ingest.ports).toEqual(['8400:8400']);
    const test = ingest.healthcheck?.test ?? [];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
    expect(new URL(test[3] ?? '').href).toBe('http://127.0.0.1:8400/readyz');
  });

  it('declares 3 workers (deploy.replicas) that `--scale worker=N` can change: no fixed name, no published port, no HTTP check', () => {
    const worker = service('worker');
    expect(worker.deploy?.replicas).toBe(3);
    expect(service('ingest').deploy).toBeUndefined();
    expect(parseCli(worker.command ?? [], {})).toMatchObject({
      command: ['worker'],
      configDir: '/etc/sylk-pushserver',
    });
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.healthcheck).toEqual({ disable: true });
  });

  describe('docker-compose config', () => {
    const binary = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    const installed = binary.status === 0;
    const dir = mkdtempSync(join(tmpdir(), 'pushwire-compose-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (file: string) =>
      spawnSync('docker-compose', ['-f', file, '--project-directory', REPO_ROOT, 'config', '-q'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, COMPOSE_PROJECT_NAME: 'pushwire' },
      });

    it.skipIf(!installed)('docker-compose (1.29, offline) accepts the file', () => {
      const result = run(repoPath('docker-compose.yml'));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // ...and rejects a broken one, so the pass above is docker-compose's verdict, not a no-op.
      const broken = join(dir, 'docker-compose.yml');
      writeFileSync(broken, readRepoFile('docker-compose.yml').replace('stop_grace_period:', 'stop_grace_periodd:'));
      expect(run(broken).status).not.toBe(0);
    });

    it.skipIf(installed)(
      'SKIPPED: docker-compose is not installed, so `docker-compose config -q` was not run (apt-get install docker-compose)',
      () => {
        expect(installed).toBe(false);
      },
    );
  });
});
