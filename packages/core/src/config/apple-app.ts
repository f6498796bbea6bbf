// One Apple (APNs) app from applications.ini: push host, token or certificate auth, all checked at load.
import { isIP } from 'node:net';
import {
  AppProblem,
  credentialPath,
  hasPrivateKeyBlock,
  parseCertificates,
  parseP256Key,
  parsePrivateKey,
  readCredential,
} from './credential-files.js';
import { setting, type AppBase, type AppBuildContext } from './app-build.js';
import type { AppleAppConfig, AppleAuth } from './types.js';

const APNS_PORT = 443;

/** Apple's missing-file text ends with a dot, Firebase's does not (Sylk's exact wording). */
const APPLE_MISSING = '.';

export function buildAppleApp(
  values: ReadonlyMap<string, string>,
  base: AppBase,
  context: AppBuildContext,
): AppleAppConfig {
  const url = setting(values, 'apple_push_url');
  if (url === undefined) throw new AppProblem('apple_push_url not found in applications.ini');
  const { host, port } = parseApplePushUrl(url);
  const auth = loadAppleAuth(values, context);
  return {
    ...base,
    platform: 'apple',
    pushHost: host,
    pushPort: port,
    auth,
    voip: (values.get('voip') ?? '').toLowerCase() === 'true',
  };
}

/** Sylk takes a bare host name (port 443); Pushwire also accepts `host:port` and `[ipv6]:port`. */
export function parseApplePushUrl(value: string): { host: string; port: number } {
  const bad = (): AppProblem => new AppProblem(`apple_push_url must be a host name or host:port, got "${value}"`);
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) throw bad();
  } else if (isIP(value) === 6) {
    host = value;
  } else {
    const parts = value.split(':');
    if (parts.length > 2) throw bad();
    host = parts[0] ?? '';
    portText = parts[1];
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) throw bad();
  }
  if (portText === undefined) return { host, port: APNS_PORT };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  if (port < 1 || port > 65535) throw bad();
  return { host, port };
}

function loadAppleAuth(values: ReadonlyMap<string, string>, context: AppBuildContext): AppleAuth {
  const keyName = setting(values, 'apple_key');
  const keyId = setting(values, 'key_id');
  const teamId = setting(values, 'team_id');
  if (keyName !== undefined && keyId !== undefined && teamId !== undefined) {
    const keyFile = credentialPath(context.credentialsDir, keyName);
    const key = parseP256Key(readCredential(keyFile, APPLE_MISSING), keyFile);
    return { kind: 'token', keyFile, keyPem: key.pem, keyId, teamId };
  }

  const certName = setting(values, 'apple_certificate');
  if (certName === undefined) {
    const partialToken = keyName !== undefined || keyId !== undefined || teamId !== undefined;
    // Sylk's words first; then both ways to fix it, and where the files are looked for.
    throw new AppProblem(
      'apple_certificate not found in applications.ini: ' +
        `${partialToken ? 'token auth needs all of apple_key, key_id and team_id; ' : ''}configure either apple_key ` +
        '(.p8) + key_id + team_id (token auth) or apple_certificate (certificate auth), with the files in ' +
        context.credentialsDir,
    );
  }
  const certFile = credentialPath(context.credentialsDir, certName);
  const certText = readCredential(certFile, APPLE_MISSING);
  const { pem: certPem, certificates } = parseCertificates(certText, certFile);

  let keyFile = certFile;
  let keyText = certText;
  if (keyName !== undefined) {
    keyFile = credentialPath(context.credentialsDir, keyName);
    keyText = readCredential(keyFile, APPLE_MISSING);
  } else if (!hasPrivateKeyBlock(certText)) {
    throw new AppProblem(`${certFile} - no private key in the certificate file and no apple_key set`);
  }
  const key = parsePrivateKey(keyText, keyFile);
  const leaf = certificates[0];
  if (leaf === undefined || !leaf.checkPrivateKey(key.key)) {
    throw new AppProblem(`${certFile} - bad ssl certificate: the private key in ${keyFile} does not match it`);
  }
  const validTo = new Date(leaf.validTo);
  if (validTo.getTime() < Date.now()) {
    context.warn(`${certFile} - the certificate expired on ${validTo.toISOString()}, APNs will refuse it`);
  }
  return { kind: 'certificate', certFile, certPem, keyFile, keyPem: key.pem };
}
