// Test support only: throw-away Sylk config directories with real generated credentials.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestCa, type Pem, type TestCa } from '@pushwire/sandbox-emulators';

export interface TestConfigDir {
  dir: string;
  credentials: string;
  /** Writes `general.ini` in the config dir. */
  general(text: string): void;
  /** Writes `applications.ini` in the config dir. */
  applications(text: string): void;
  /** Writes a file under `credentials/` (sub-directories are created) and returns its path. */
  credential(name: string, content: string): string;
  remove(): void;
}

export function makeConfigDir(): TestConfigDir {
  const dir = mkdtempSync(join(tmpdir(), 'pushwire-config-'));
  const credentials = join(dir, 'credentials');
  mkdirSync(credentials);
  return {
    dir,
    credentials,
    general: (text) => writeFileSync(join(dir, 'general.ini'), text),
    applications: (text) => writeFileSync(join(dir, 'applications.ini'), text),
    credential(name, content) {
      const path = join(credentials, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let ca: TestCa | undefined;

/** A client certificate and key as APNs certificate auth uses them (one CA per test file). */
export function clientCertificate(topic = 'com.example.app'): Pem {
  ca ??= createTestCa();
  return ca.issueClient({ commonName: `Apple Push Services: ${topic}`, uid: topic });
}

/** The test CA's certificate (a trust anchor for `apple_ca` / `firebase_ca`). */
export function caCertificate(): string {
  ca ??= createTestCa();
  return ca.cert;
}

/** An APNs `.p8`: PKCS#8 PEM of a P-256 key. */
export function p8Key(curve: 'P-256' | 'P-384' = 'P-256'): string {
  return generateKeyPairSync('ec', { namedCurve: curve })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** A Google service-account key file with a fresh RSA key; `overrides` may replace or delete (undefined) fields. */
export function serviceAccountJson(overrides: Record<string, unknown> = {}): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account: Record<string, unknown> = {
    type: 'service_account',
    project_id: 'myapp-12345',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'firebase-adminsdk-abcde@myapp-12345.iam.gserviceaccount.com',
    client_id: '123456789012345678901',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    ...overrides,
  };
  return JSON.stringify(account, null, 2);
}
