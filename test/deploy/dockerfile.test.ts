// deploy/Dockerfile and .dockerignore, checked statically (no Docker engine here, docs/decisions/0014-static-checks-where-nothing-runs.md, docs/decisions/0015-runtime-and-packaging.md).
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../services/pushwire/src/cli-args.js';
import { builtPath, readBuildConfig, workspacePackages } from './compiled-output.js';
import { execForm, instructionsOf, parseDockerfile, splitFlags, type DockerStage } from './dockerfile-parser.js';
import { DockerIgnore } from './dockerignore.js';
import { readRepoFile, repoFileExists, rootPackage } from './repo-files.js';

const dockerfile = parseDockerfile(readRepoFile('deploy/Dockerfile'));
const ignore = new DockerIgnore(readRepoFile('.dockerignore'));
const { pnpmVersion, nodeFloor } = rootPackage();

function stage(name: string): DockerStage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage named ${name}`);
  return found;
}
const runs = (s: DockerStage): string[] => instructionsOf(s, 'RUN').map((i) => i.args);
const runtime = dockerfile.stages.at(-1) as DockerStage;

describe('deploy/Dockerfile', () => {
  it('is a multi-stage build: build (dev deps), prod (prod deps), runtime last', () => {
    expect(dockerfile.directives.syntax).toMatch(/^docker\/dockerfile:1/);
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'prod', 'runtime']);
    expect(stage('prod').image).toBe('build');
  });

  it('builds and runs on one slim Node LTS image, not older than package.json allows', () => {
    const images = new Set([stage('build').image, runtime.image]);
    expect(images.size).toBe(1);
    const [image] = [...images];
    const match = /^node:(\d+)-[a-z]+-slim$/.exec(image ?? '');
    expect(match, `${image} is not a node:<major>-<distro>-slim image`).not.toBeNull();
    const major = Number(match?.[1]);
    // LTS lines are the even majors.
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(nodeFloor);
  });

  it("installs pnpm pinned to package.json's packageManager, with npm, not corepack", () => {
    const build = stage('build');
    const pins = runs(build).flatMap((run) => [...run.matchAll(/npm (?:install|i) -g pnpm@(\S+)/g)].map((m) => m[1]));
    expect(pins).toEqual([pnpmVersion]);
    const everything = dockerfile.stages.flatMap((s) => s.instructions.map((i) => i.args)).join('\n');
    expect(everything).not.toMatch(/corepack/);
  });

  it('installs every dependency from the lockfile and compiles with `pnpm build` (which type-checks)', () => {
    const buildRuns = runs(stage('build'));
    const full = buildRuns.findIndex((r) => /pnpm install\b.*--frozen-lockfile/.test(r) && /--prod=false\b/.test(r));
    expect(full, buildRuns.join('\n')).toBeGreaterThanOrEqual(0);
    expect(buildRuns.findIndex((r) => /^pnpm build$/.test(r))).toBeGreaterThan(full);
  });

  it("keeps the pushwire command's production dependencies only, and drops sources, fixtures and test/", () => {
    const prod = runs(stage('prod')).join('\n');
    const cli = workspacePackages().find((p) => p.dir === 'services/pushwire');
    // --filter-prod follows dependencies only: the test package and tsx are devDependencies of the command.
    expect(prod).toMatch(
      new RegExp(`pnpm install\\b.*--frozen-lockfile.*--prod(?!=)\\b.*--filter-prod '${cli?.name}\\.\\.\\.'`),
    );
    expect(prod).toMatch(/rm -rf test\b/);
    // Of each package only its manifest, dist/, node_modules/ (and the command's bin/) stay.
    expect(prod).toContain(
      'find packages services -mindepth 2 -maxdepth 2 ! -name package.json ! -name dist ! -name node_modules ! -name bin -exec rm -rf {} +',
    );
  });

  it('copies only built artefacts into the runtime stage, only from the prod stage, and nothing of test/', () => {
    const copies = instructionsOf(runtime, 'COPY').map((i) => splitFlags(i.args));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.flags.from, copy.rest).toBe('prod');
    const sources = copies.flatMap((c) => c.rest.split(/\s+/).slice(0, -1));
    for (const needed of [
      '/app/node_modules',
      '/app/packages',
      '/app/services',
      '/app/package.json',
      '/app/deploy/healthcheck.mjs',
    ]) {
      expect(sources).toContain(needed);
    }
    expect(sources.filter((source) => source === '/app' || source.startsWith('/app/test'))).toEqual([]);
    expect(instructionsOf(runtime, 'ADD')).toEqual([]);
  });

  it('runs as a numeric non-root user that the image creates', () => {
    const users = instructionsOf(runtime, 'USER').map((i) => i.args);
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(gid === undefined || Number(gid) > 0).toBe(true);
    expect(runs(runtime).join('\n')).toContain(`useradd --system --uid ${uid}`);
  });

  it('starts the compiled pushwire command with plain node, Sylk config defaults, listening publicly on 8400', () => {
    const entrypoint = instructionsOf(runtime, 'ENTRYPOINT').map((i) => execForm(i.args));
    // What `pnpm build` makes of the command's entry point (built by the deploy project's global setup).
    const main = builtPath('services/pushwire/src/main.ts', readBuildConfig('services/pushwire/tsconfig.build.json'));
    expect(entrypoint).toEqual([['node', main]]);
    expect(repoFileExists(main)).toBe(true);
    expect(instructionsOf(runtime, 'WORKDIR').map((i) => i.args)).toEqual(['/app']);

    const cmd = instructionsOf(runtime, 'CMD').map((i) => execForm(i.args));
    expect(cmd).toEqual([['start', '--config_dir', '/etc/sylk-pushserver', '--ip', '0.0.0.0']]);
    const cli = parseCli(cmd[0] ?? [], {});
    expect(cli).toMatchObject({ command: ['start'], configDir: '/etc/sylk-pushserver', ip: '0.0.0.0', port: null });
    expect(instructionsOf(runtime, 'EXPOSE').map((i) => i.args)).toEqual(['8400']);
  });

  it('checks health with node against /healthz on the exposed port', () => {
    const checks = instructionsOf(runtime, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const { flags, rest } = splitFlags(checks[0]?.args ?? '');
    for (const option of ['interval', 'timeout', 'start-period', 'retries'])
      expect(flags[option], option).toBeDefined();
    expect(rest.startsWith('CMD ')).toBe(true);
    const command = execForm(rest.slice(4));
    expect(command?.[0]).toBe('node');
    expect(repoFileExists(command?.[1] ?? '')).toBe(true);
    expect(new URL(command?.[2] ?? '').href).toBe('http://127.0.0.1:8400/healthz');
  });
});

describe('.dockerignore', () => {
  it('keeps what the build and the runtime need in the context', () => {
    for (const path of [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'tsconfig.json',
      'tsconfig.base.json',
      'tsconfig.build.json',
      'tsconfig.build-base.json',
      'packages/core/tsconfig.build.json',
      'services/pushwire/tsconfig.build.json',
      'services/pushwire/bin/pushwire.js',
      'services/pushwire/src/main.ts',
      'packages/core/src/index.ts',
      'test/package.json',
      'packages/sandbox-emulators/src/index.ts',
      'deploy/healthcheck.mjs',
    ]) {
      expect(ignore.excludes(path), path).toBe(false);
    }
  });

  it('keeps credentials, local state, local builds, installed modules and tests out of the image', () => {
    for (const path of [
      // The image compiles its own dist/: a stale local build never enters it.
      'packages/core/dist/index.js',
      'services/pushwire/dist/main.js',
      'packages/sandbox-emulators/dist/index.js',
      'deploy/config/credentials/AuthKey_ABCDE12345.p8',
      'deploy/config/applications.ini',
      'node_modules/.pnpm/x',
      'services/ingest/node_modules/hono',
      '.git/HEAD',
      '.pushwire/redis/appendonly.aof',
      'test/e2e/push-v1.test.ts',
      'test/harness/stack.ts',
      'test/golden/sylk-v1-answers.json',
      'test/some-future-suite/helper.ts',
      'packages/sandbox-emulators/src/apns/apns-emulator.test.ts',
      'packages/core/src/config/load-config.test.ts',
    ]) {
      expect(ignore.excludes(path), path).toBe(true);
    }
  });
});
