// `pnpm build`: every package compiles to dist/, plain node resolves the workspace to that JavaScript, and the
// development tools (tsc, vitest, tsx) keep resolving it to the TypeScript sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtPath, readBuildConfig, workspacePackages } from './compiled-output.js';
import { readRepoFile, repoPath, REPO_ROOT } from './repo-files.js';

const SOURCE_CONDITION = 'pushwire-source';
// test/ is a workspace member for its dependencies only: it builds nothing (tests run from sources).
const packages = workspacePackages().filter((p) => p.dir !== 'test');
const byName = new Map(packages.map((p) => [p.name, p]));
const configOf = (dir: string) => readBuildConfig(`${dir}/tsconfig.build.json`);

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('the build configuration', () => {
  it('finds every workspace package (so the checks below cover them all)', () => {
    expect(packages.map((p) => p.dir)).toEqual(
      expect.arrayContaining(['packages/core', 'packages/sandbox-emulators', 'services/pushwire']),
    );
    expect(packages.length).toBeGreaterThanOrEqual(13);
    expect(existsSync(repoPath('test/tsconfig.build.json'))).toBe(false);
  });

  it('`pnpm build` builds the solution tsconfig.build.json, which lists every workspace package', () => {
    const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBe('tsc -b tsconfig.build.json');
    const solution = readBuildConfig('tsconfig.build.json');
    expect(solution.files).toEqual([]);
    expect([...solution.references].sort()).toEqual(packages.map((p) => p.dir));
  });

  it.each(packages.map((p) => [p.dir, p] as const))(
    '%s references every workspace dependency it is built with',
    (_dir, pkg) => {
      // tsc -b builds (and rebuilds) a package after the packages it references: a missing reference is a stale build.
      // Development dependencies used only by tests (the sandbox emulators) need no reference, and may not have one
      // where the emulators depend on the package itself.
      const referenced = configOf(pkg.dir).references.map((dir) => packages.find((p) => p.dir === dir)?.name ?? dir);
      const production = Object.keys(pkg.dependencies).filter((name) =>
        pkg.dependencies[name]?.startsWith('workspace:'),
      );
      expect(referenced, `${pkg.dir}/tsconfig.build.json "references" must list every workspace dependency`).toEqual(
        expect.arrayContaining(production),
      );
      expect(pkg.workspaceDeps, `${pkg.dir}/tsconfig.build.json references a package it does not depend on`).toEqual(
        expect.arrayContaining(referenced),
      );
    },
  );

  it.each(packages.map((p) => [p.dir, p] as const))(
    '%s keeps its incremental state in dist/ (a deleted dist/ is rebuilt)',
    (_dir, pkg) => {
      const { outDir, tsBuildInfoFile } = configOf(pkg.dir);
      expect(outDir).toBe(`${pkg.dir}/dist`);
      expect(tsBuildInfoFile.startsWith(`${outDir}/`), tsBuildInfoFile).toBe(true);
    },
  );

  it.each(packages.map((p) => [p.dir, p] as const))('%s compiles no tests or test helpers', (_dir, pkg) => {
    const { files } = configOf(pkg.dir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => /\.test\.ts$|test-support|-harness\.ts$/.test(f))).toEqual([]);
  });
});

describe('package exports', () => {
  const conditional = packages.flatMap((pkg) =>
    Object.entries(pkg.exports).map(([subpath, target]) => [`${pkg.name}${subpath.slice(1)}`, pkg, target] as const),
  );

  it.each(conditional)(
    '%s: TypeScript sources under "pushwire-source", the built JavaScript (and types) by default',
    (_name, pkg, target) => {
      if (typeof target === 'string') {
        // Only the test package may export sources alone (its harness never runs outside the tests).
        expect(pkg.dir).toBe('test');
        return;
      }
      expect(Object.keys(target)).toEqual([SOURCE_CONDITION, 'types', 'default']);
      const source = join(pkg.dir, target[SOURCE_CONDITION] ?? '');
      expect(existsSync(repoPath(source)), source).toBe(true);
      const js = builtPath(source, configOf(pkg.dir));
      expect(join(pkg.dir, target.default ?? '')).toBe(js);
      expect(join(pkg.dir, target.types ?? '')).toBe(js.replace(/\.js$/, '.d.ts'));
      // The deploy project's global setup ran `pnpm build`.
      expect(existsSync(repoPath(js)), `${js} (run pnpm build)`).toBe(true);
    },
  );

  it('the build output holds no compiled tests', () => {
    for (const pkg of packages) {
      const dist = repoPath(pkg.dir, 'dist');
      expect(
        filesUnder(dist).filter((f) => /\.test\.js$|test-support/.test(f)),
        pkg.dir,
      ).toEqual([]);
    }
  });
});

describe('resolution', () => {
  // Run from services/pushwire, which depends on every package below.
  const resolveWith = (conditions: string[], specifier: string): string =>
    execFileSync(
      process.execPath,
      [...conditions, '--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`],
      {
        cwd: repoPath('services/pushwire'),
        encoding: 'utf8',
      },
    ).trim();

  it('plain node resolves workspace packages to dist/, node with --conditions=pushwire-source to src/', () => {
    for (const specifier of ['@pushwire/core', '@pushwire/ingest', '@pushwire/storage/cassandra']) {
      expect(resolveWith([], specifier)).toMatch(/\/dist\/[a-z-]+\.js$/);
      expect(resolveWith([`--conditions=${SOURCE_CONDITION}`], specifier)).toMatch(/\/src\/[a-z-]+\.ts$/);
    }
  });

  it('vitest runs the sources (this very process)', () => {
    expect(import.meta.resolve('@pushwire/core')).toMatch(/\/packages\/core\/src\/index\.ts$/);
    expect(createRequire(import.meta.url).resolve('typescript')).toContain('node_modules');
  });

  it('tsc type-checks the sources, tsx runs them: the condition is set for both', () => {
    const tsconfig = readRepoFile('tsconfig.json');
    expect(tsconfig).toMatch(/"customConditions":\s*\["pushwire-source"\]/);
    const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'pushwire', 'bench'])
      expect(scripts[name], name).toContain(`tsx --conditions=${SOURCE_CONDITION} `);
  });
});

describe('the pushwire command', () => {
  it('the bin runs the compiled entry point with plain node', () => {
    const bin = readRepoFile('services/pushwire/bin/pushwire.js');
    const main = builtPath('services/pushwire/src/main.ts', configOf('services/pushwire'));
    expect(bin).toContain(`'../${main.slice('services/pushwire/'.length)}'`);
    expect(bin).not.toMatch(/tsx/);
    const help = spawnSync(process.execPath, ['services/pushwire/bin/pushwire.js', '--help'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pushwire /);
  });

  it('production dependencies of the command hold neither the sandbox emulators nor tsx', () => {
    const cli = byName.get('@pushwire/cli');
    expect(cli).toBeDefined();
    expect(Object.keys(cli?.dependencies ?? {})).not.toContain('@pushwire/sandbox-emulators');
    expect(Object.keys(cli?.dependencies ?? {})).not.toContain('tsx');
    expect(Object.keys(cli?.devDependencies ?? {})).toContain('@pushwire/sandbox-emulators');
  });
});
