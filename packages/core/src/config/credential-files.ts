// Reading and checking the credential files named in applications.ini (PEM certificates and keys).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

/** A per-app configuration problem: the app is disabled with this reason, the rest still serve. */
export class AppProblem extends Error {
  override name = 'AppProblem';
}

/**
 * Where Sylk looks for a credential: always under the credentials folder, even when the name looks
 * absolute (Sylk builds `f"{credentials}/{name}"`).
 */
export function credentialPath(credentialsDir: string, name: string): string {
  return join(credentialsDir, name);
}

/**
 * The text of a credential file. `missingSuffix` keeps Sylk's exact wording, which differs by platform
 * (`<path> - no such file.` for Apple, without the dot for Firebase).
 */
export function readCredential(path: string, missingSuffix: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new AppProblem(`${path} - no such file${missingSuffix}`);
  }
  if (!isFile) throw new AppProblem(`${path} - not a regular file`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppProblem(`${path} - cannot be read: ${(error as Error).message}`);
  }
}

/**
 * A credential file that must hold one JSON object (a service account, Push Kit credentials, VAPID keys).
 * `expected` says what the file should be, for the message when it holds another JSON value.
 */
export function parseJsonCredential(text: string, file: string, expected: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppProblem(`${file} - not a valid JSON file: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AppProblem(`${file} - ${expected}`);
  return json as Record<string, unknown>;
}

const CERTIFICATE_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The PEM certificates in `text` (leaf first, as written), parsed. */
export function parseCertificates(text: string, path: string): { pem: string; certificates: X509Certificate[] } {
  const blocks = text.match(CERTIFICATE_RE) ?? [];
  if (blocks.length === 0) throw new AppProblem(`${path} - no PEM certificate found in it`);
  const certificates = blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new AppProblem(`${path} - certificate ${index + 1} is not a valid X.509 certificate`);
    }
  });
  return { pem: blocks.map((block) => `${block}\n`).join(''), certificates };
}

export function hasPrivateKeyBlock(text: string): boolean {
  return /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(text);
}

/** Parses the first private key in `text` (PKCS#8, PKCS#1 or SEC1 PEM); its PEM is re-exported as PKCS#8. */
export function parsePrivateKey(text: string, path: string): { pem: string; key: KeyObject } {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new AppProblem(`${path} - the private key is encrypted; Pushwire needs it unencrypted`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new AppProblem(`${path} - not a valid PEM private key`);
  }
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), key };
}

/** An APNs `.p8` key: PKCS#8 PEM of an EC key on P-256 (ES256). */
export function parseP256Key(text: string, path: string): { pem: string; key: KeyObject } {
  const parsed = parsePrivateKey(text, path);
  const curve = parsed.key.asymmetricKeyDetails?.namedCurve;
  if (parsed.key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const found =
      parsed.key.asymmetricKeyType === 'ec' ? `EC ${curve ?? 'unknown curve'}` : parsed.key.asymmetricKeyType;
    throw new AppProblem(`${path} - not an EC P-256 private key (.p8), found ${found ?? 'an unknown key type'}`);
  }
  return parsed;
}
