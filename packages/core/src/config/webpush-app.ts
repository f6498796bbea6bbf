// One Web Push app from applications.ini: VAPID subject and key file, and the push services it may reach.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { setting, type AppBase, type AppBuildContext } from './app-build.js';
import { AppProblem, credentialPath, parseJsonCredential, readCredential } from './credential-files.js';
import type { VapidAuth, WebPushAppConfig } from './types.js';

/**
 * The browsers' push services (Chrome/Edge via FCM, Firefox, Safari, legacy Edge/WNS): a subscription endpoint
 * anywhere else is refused, so a caller cannot make the workers POST to an address of its choosing.
 */
export const DEFAULT_WEBPUSH_HOSTS: readonly string[] = Object.freeze([
  'fcm.googleapis.com',
  '*.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
]);

/** Where `config check --live` probes by default: FCM checks the VAPID signature before the subscription. */
export const DEFAULT_WEBPUSH_CHECK_ENDPOINT = 'https://fcm.googleapis.com/fcm/send/pushwire-config-check';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function buildWebPushApp(
  values: ReadonlyMap<string, string>,
  base: AppBase,
  context: AppBuildContext,
): WebPushAppConfig {
  const subject = setting(values, 'vapid_subject');
  if (subject === undefined) throw new AppProblem('vapid_subject not found in applications.ini');
  if (!/^mailto:.+@.+/.test(subject) && !/^https:\/\/[^/]/.test(subject)) {
    throw new AppProblem(`vapid_subject must be a mailto: or https: URL, got "${subject}"`);
  }
  const fileName = setting(values, 'vapid_key_file');
  if (fileName === undefined) throw new AppProblem('vapid_key_file not found in applications.ini');
  const file = credentialPath(context.credentialsDir, fileName);
  const keys = parseVapidKeyFile(readCredential(file, ''), file);
  const hostsText = setting(values, 'webpush_allowed_hosts');
  const allowedHosts = hostsText === undefined ? DEFAULT_WEBPUSH_HOSTS : parseHostPatterns(hostsText);
  const checkEndpoint = setting(values, 'webpush_check_endpoint') ?? DEFAULT_WEBPUSH_CHECK_ENDPOINT;
  if (!URL.canParse(checkEndpoint) || new URL(checkEndpoint).protocol !== 'https:') {
    throw new AppProblem(`webpush_check_endpoint must be an https URL, got "${checkEndpoint}"`);
  }
  return { ...base, platform: 'webpush', auth: { kind: 'vapid', subject, file, ...keys }, allowedHosts, checkEndpoint };
}

/** `host, *.example.com, ...`: lower-cased; a `*.` prefix is the only wildcard. */
export function parseHostPatterns(text: string): string[] {
  const hosts = text
    .split(/[\s,]+/)
    .filter((h) => h !== '')
    .map((h) => h.toLowerCase());
  if (hosts.length === 0) throw new AppProblem('webpush_allowed_hosts is empty');
  for (const host of hosts) {
    if (!/^(\*\.)?[a-z0-9.:[\]-]+$/.test(host))
      throw new AppProblem(`webpush_allowed_hosts: "${host}" is not a host name or *.domain pattern`);
  }
  return hosts;
}

const VAPID_EXPECTED =
  'not a VAPID key file: expected {"publicKey": "...", "privateKey": "..."} (web-push generate-vapid-keys --json)';

/** The JSON `web-push generate-vapid-keys --json` prints: `{"publicKey","privateKey"}`, base64url, a P-256 pair. */
export function parseVapidKeyFile(text: string, file: string): Pick<VapidAuth, 'publicKey' | 'privateKey'> {
  const record = parseJsonCredential(text, file, VAPID_EXPECTED);
  const { publicKey, privateKey } = record;
  if (typeof publicKey !== 'string' || typeof privateKey !== 'string') {
    throw new AppProblem(`${file} - ${VAPID_EXPECTED}`);
  }
  const pub = base64url(publicKey, file, 'publicKey');
  const priv = base64url(privateKey, file, 'privateKey');
  if (pub.length !== 65 || pub[0] !== 0x04)
    throw new AppProblem(`${file} - publicKey must be an uncompressed P-256 point (65 bytes), got ${pub.length} bytes`);
  if (priv.length !== 32) throw new AppProblem(`${file} - privateKey must be 32 bytes, got ${priv.length}`);
  if (!isKeyPair(pub, priv)) throw new AppProblem(`${file} - publicKey and privateKey are not one P-256 key pair`);
  return { publicKey, privateKey };
}

function base64url(value: string, file: string, field: string): Buffer {
  if (!BASE64URL.test(value)) throw new AppProblem(`${file} - ${field} is not base64url`);
  return Buffer.from(value, 'base64url');
}

/** Signs and verifies once: a key file whose halves were mixed up would fail every push. */
function isKeyPair(pub: Buffer, priv: Buffer): boolean {
  try {
    const x = pub.subarray(1, 33).toString('base64url');
    const y = pub.subarray(33, 65).toString('base64url');
    const privateKey = createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', x, y, d: priv.toString('base64url') },
      format: 'jwk',
    });
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
    const data = Buffer.from('pushwire vapid key check');
    return verify('sha256', data, publicKey, sign('sha256', data, privateKey));
  } catch {
    return false;
  }
}
