// Paths and parsed files of the repository's deployment artefacts, for the deploy tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

export function repoFileExists(...parts: string[]): boolean {
  return existsSync(repoPath(...parts));
}

/** The root package.json's `packageManager` pnpm version and package version. */
export function rootPackage(): { version: string; pnpmVersion: string; nodeFloor: number } {
  const pkg = JSON.parse(readRepoFile('package.json')) as {
    version: string;
    packageManager: string;
    engines: { node: string };
  };
  const pnpm = /^pnpm@(\d+\.\d+\.\d+)$/.exec(pkg.packageManager);
  const floor = /^>=\s*(\d+)/.exec(pkg.engines.node);
  if (!pnpm?.[1] || !floor?.[1])
    throw new Error(`package.json: unexpected packageManager/engines: ${pkg.packageManager}, ${pkg.engines.node}`);
  return { version: pkg.version, pnpmVersion: pnpm[1], nodeFloor: Number(floor[1]) };
}

/**
 * Every document of a YAML file, as plain data. `merge` resolves Compose's `<<: *anchor` keys; a syntax
 * error or a warning (e.g. a duplicate key) throws, naming the file.
 */
export function parseYamlFile(path: string, options: { merge?: boolean } = {}): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: options.merge ?? false, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new Error(`${path}: no YAML documents`);
  return docs.map((doc, index) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0)
      throw new Error(`${path} (document ${index + 1}): ${problems.map((p) => p.message).join('; ')}`);
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

/** The YAML files of a folder, sorted. */
export function yamlFilesIn(...parts: string[]): string[] {
  return readdirSync(repoPath(...parts))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}
