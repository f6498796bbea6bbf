// applications.ini sections with app_platform = webpush: the VAPID subject, key file and allowed hosts.
import { createECDH } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { redactConfig } from './redact.js';
import { makeConfigDir, type TestConfigDir } from '../test-support/config-dir.js';
import type { PushwireConfig, WebPushAppConfig } from './types.js';
import { DEFAULT_WEBPUSH_HOSTS } from './webpush-app.js';

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

function keyPair(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  do ecdh.generateKeys();
  while (ecdh.getPrivateKey().length !== 32);
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
}

function load(extra: string, keyFile: string | null = JSON.stringify(keyPair())): PushwireConfig {
  if (keyFile !== null) cfg.credential('vapid.json', keyFile);
  cfg.applications(`[web]\napp_id = com.example.web\napp_type = sylk\napp_platform = webpush\n${extra}\n`);
  return loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk'] });
}

const GOOD = 'vapid_subject = mailto:ops@example.com\nvapid_key_file = vapid.json';

describe('a Web Push app', () => {
  it('loads with the public push services as its default allow-list', () => {
    const keys = keyPair();
    const config = load(GOOD, JSON.stringify(keys));
    expect(config.disabledApps).toEqual([]);
    const app = config.apps[0] as WebPushAppConfig;
    expect(app).toMatchObject({
      platform: 'webpush',
      appId: 'com.example.web',
      allowedHosts: DEFAULT_WEBPUSH_HOSTS,
      auth: { kind: 'vapid', subject: 'mailto:ops@example.com', ...keys },
    });
    expect(DEFAULT_WEBPUSH_HOSTS).toEqual([
      'fcm.googleapis.com',
      '*.push.services.mozilla.com',
      '*.push.apple.com',
      '*.notify.windows.com',
    ]);
  });

  it('keeps the VAPID private key out of the logged configuration', () => {
    const keys = keyPair();
    const logged = JSON.stringify(redactConfig(load(GOOD, JSON.stringify(keys))));
    expect(logged).not.toContain(keys.privateKey);
    expect(logged).toContain(keys.publicKey);
  });

  it('takes webpush_allowed_hosts as a list of hosts and *.domain patterns', () => {
    const app = load(`${GOOD}\nwebpush_allowed_hosts = fcm.googleapis.com, *.Push.Example.net`)
      .apps[0] as WebPushAppConfig;
    expect(app.allowedHosts).toEqual(['fcm.googleapis.com', '*.push.example.net']);
  });

  const pub65 = keyPair().publicKey;
  it.each([
    ['no subject', 'vapid_key_file = vapid.json', undefined, 'vapid_subject not found in applications.ini'],
    [
      'an http subject',
      'vapid_subject = http://example.com\nvapid_key_file = vapid.json',
      undefined,
      'vapid_subject must be a mailto: or https: URL, got "http://example.com"',
    ],
    ['no key file setting', 'vapid_subject = mailto:a@b.c', undefined, 'vapid_key_file not found in applications.ini'],
    ['a missing key file', GOOD, null, /vapid\.json - no such file$/],
    ['a key file that is not JSON', GOOD, 'publicKey=x', /vapid\.json - not a valid JSON file/],
    [
      'a key file without privateKey',
      GOOD,
      JSON.stringify({ publicKey: pub65 }),
      /not a VAPID key file: expected \{"publicKey": "...", "privateKey": "..."\} \(web-push generate-vapid-keys --json\)/,
    ],
    [
      'a short public key',
      GOOD,
      JSON.stringify({ publicKey: 'BAAA', privateKey: keyPair().privateKey }),
      /publicKey must be an uncompressed P-256 point \(65 bytes\), got 3 bytes/,
    ],
    [
      'a standard-base64 private key',
      GOOD,
      JSON.stringify({ publicKey: pub65, privateKey: 'a+b/' }),
      /privateKey is not base64url/,
    ],
    [
      'halves of two key pairs',
      GOOD,
      JSON.stringify({ publicKey: pub65, privateKey: keyPair().privateKey }),
      /publicKey and privateKey are not one P-256 key pair/,
    ],
    [
      'a bad allow-list entry',
      `${GOOD}\nwebpush_allowed_hosts = https://fcm.googleapis.com/`,
      undefined,
      /webpush_allowed_hosts: "https:\/\/fcm.googleapis.com\/" is not a host name/,
    ],
  ])('%s → the app is disabled with a clear reason', (_name, extra, keyFile, reason) => {
    const config = load(extra, keyFile === undefined ? JSON.stringify(keyPair()) : keyFile);
    expect(config.apps).toEqual([]);
    expect(config.disabledApps).toHaveLength(1);
    expect(config.disabledApps[0]!.reason).toMatch(
      typeof reason === 'string' ? new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : reason,
    );
  });
});
