// The compiled build as the deploy tests see it: the workspace's packages, their build configs (parsed by
// TypeScript itself) and where `pnpm build` puts the JavaScript of a source file.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parseYamlFile, repoPath, REPO_ROOT } from './repo-files.js';

export type ExportTarget = string | Record<string, string>;

export interface WorkspacePackage {
  /** Folder relative to the repository root, e.g. `services/pushwire`. */
  dir: string;
  name: string;
  exports: Record<string, ExportTarget>;
  /** Workspace packages it depends on (dependencies and devDependencies), by name. */
  workspaceDeps: string[];
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
}

interface Manifest {
  name: string;
  exports?: Record<string, ExportTarget>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Every package pnpm-workspace.yaml names (the root excluded), sorted by folder. */
export function workspacePackages(): WorkspacePackage[] {
  const [workspace] = parseYamlFile(repoPath('pnpm-workspace.yaml')) as Array<{ packages: string[] }>;
  const dirs = (workspace?.packages ?? []).flatMap((pattern) =>
    pattern.endsWith('/*')
      ? ts.sys.getDirectories(repoPath(pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`)
      : [pattern],
  );
  return dirs
    .filter((dir) => ts.sys.fileExists(repoPath(dir, 'package.json')))
    .sort()
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(repoPath(dir, 'package.json'), 'utf8')) as Manifest;
      const all = { ...manifest.dependencies, ...manifest.devDependencies };
      return {
        dir,
        name: manifest.name,
        exports: manifest.exports ?? {},
        workspaceDeps: Object.keys(all)
          .filter((name) => all[name]?.startsWith('workspace:'))
          .sort(),
        dependencies: manifest.dependencies ?? {},
        devDependencies: manifest.devDependencies ?? {},
      };
    });
}

export interface BuildConfig {
  /** Source files the build compiles, relative to the repository root. */
  files: string[];
  rootDir: string;
  outDir: string;
  /** tsc -b's incremental state, relative to the repository root. */
  tsBuildInfoFile: string;
  /** Folders of the projects it references, relative to the repository root. */
  references: string[];
}

/** A tsconfig.build.json as tsc reads it (extends, include and exclude resolved). */
export function readBuildConfig(path: string): BuildConfig {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    repoPath(path),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`${path}: unreadable`);
  if (parsed.errors.length > 0)
    throw new Error(
      `${path}: ${parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`,
    );
  const rel = (p: string) => relative(REPO_ROOT, p).split('\\').join('/');
  return {
    files: parsed.fileNames.map(rel),
    rootDir: rel(parsed.options.rootDir ?? ''),
    outDir: rel(parsed.options.outDir ?? ''),
    tsBuildInfoFile: rel(parsed.options.tsBuildInfoFile ?? ''),
    references: (parsed.projectReferences ?? []).map((r) => rel(r.path).replace(/\/tsconfig\.build\.json$/, '')),
  };
}

/** `services/pushwire/src/main.ts` → `services/pushwire/dist/main.js`, by that package's build config. */
export function builtPath(sourcePath: string, config: BuildConfig): string {
  if (!sourcePath.startsWith(`${config.rootDir}/`)) throw new Error(`${sourcePath} is outside ${config.rootDir}`);
  return join(config.outDir, sourcePath.slice(config.rootDir.length + 1)).replace(/\.ts$/, '.js');
}
