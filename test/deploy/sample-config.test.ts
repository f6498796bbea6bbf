// The shipped configurations (deploy/config for Compose, the Kubernetes ConfigMap) load with Pushwire's own
// loader: no global error, only the sample apps disabled for their commented-out credentials.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_TYPES } from '@pushwire/apps';
import { loadConfig, type PushwireConfig } from '@pushwire/core';
import { parseYamlFile, readRepoFile, repoPath, REPO_ROOT } from './repo-files.js';

const knownAppTypes = Object.keys(APP_TYPES);
const load = (configDir: string): PushwireConfig => loadConfig({ configDir, env: {}, knownAppTypes, cwd: REPO_ROOT });

/** The sample apps and why each is disabled: the credential keys left commented out. */
const EXPECTED_DISABLED = [
  {
    section: 'example-apple',
    appId: 'com.example.phone.prod',
    platform: 'apple',
    reason: expect.stringMatching(
      /^apple_certificate not found in applications\.ini: configure either apple_key .* or apple_certificate .*, with the files in \//,
    ),
  },
  {
    section: 'example-firebase',
    appId: 'com.example.phone',
    platform: 'firebase',
    reason: 'not firebase_authorization_key or firebase_authorization_file found in applications.ini',
  },
];

function expectOnlyCredentialProblems(config: PushwireConfig): void {
  expect(config.apps).toEqual([]);
  expect(
    config.disabledApps.map(({ section, appId, platform, reason }) => ({ section, appId, platform, reason })),
  ).toEqual(EXPECTED_DISABLED);
  // A misspelt key would be a warning: there must be none.
  expect(config.warnings).toEqual([]);
  expect(config.cassandra).toBeNull();
  expect(config.server).toMatchObject({
    port: 8400,
    returnAsync: true,
    allowedHosts: [],
    tlsCertificate: null,
    debug: false,
  });
}

describe('deploy/config (mounted by docker-compose.yml)', () => {
  it('loads with only the sample apps disabled, and its credentials folder is deploy/config/credentials', () => {
    const config = load(repoPath('deploy/config'));
    expectOnlyCredentialProblems(config);
    expect(config.files?.credentialsDir).toBe(repoPath('deploy/config/credentials'));
    // Sylk's default host; the containers pass --ip 0.0.0.0.
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('keeps credential files out of git', () => {
    const ignored = (path: string) =>
      spawnSync('git', ['check-ignore', '--no-index', '-q', path], { cwd: REPO_ROOT }).status === 0;
    expect(ignored('deploy/config/credentials/AuthKey_ABCDE12345.p8')).toBe(true);
    expect(ignored('deploy/config/credentials/example-project-firebase-adminsdk.json')).toBe(true);
    expect(ignored('deploy/config/credentials/README.md')).toBe(false);
  });

  it('ships no secret material anywhere under deploy/', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const secretLooking = /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----|"private_key"\s*:/;
    // Files an operator drops into the (git-ignored) credentials folder are theirs, not shipped.
    const credentials = repoPath('deploy/config/credentials');
    const shipped = files(repoPath('deploy')).filter(
      (path) => !path.startsWith(credentials) || ['README.md', '.gitignore'].includes(relative(credentials, path)),
    );
    expect(shipped.length).toBeGreaterThan(10);
    const offenders = shipped.filter((path) => secretLooking.test(readFileSync(path, 'utf8')));
    expect(offenders.map((path) => relative(REPO_ROOT, path))).toEqual([]);
  });
});

describe('the Kubernetes ConfigMap', () => {
  const [configMap] = parseYamlFile(repoPath('deploy/kubernetes/configmap.yaml')) as Array<{
    data: Record<string, string>;
  }>;
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-configmap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the same applications.ini as deploy/config', () => {
    expect(Object.keys(configMap?.data ?? {}).sort()).toEqual(['applications.ini', 'general.ini']);
    expect(configMap?.data['applications.ini']).toBe(readRepoFile('deploy/config/applications.ini'));
  });

  it('loads as a config directory, taking credentials from the Secret mount', () => {
    for (const [name, text] of Object.entries(configMap?.data ?? {})) writeFileSync(join(dir, name), text);
    const config = load(dir);
    expectOnlyCredentialProblems(config);
    expect(config.files?.credentialsDir).toBe('/etc/pushwire/credentials');
  });
});
