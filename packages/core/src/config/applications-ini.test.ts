// applications.ini: every per-app outcome, with real generated credentials.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import {
  caCertificate,
  clientCertificate,
  makeConfigDir,
  p8Key,
  serviceAccountJson,
  type TestConfigDir,
} from '../test-support/config-dir.js';
import type { AppConfig, DisabledApp, PushwireConfig } from './types.js';

const KNOWN = ['sylk', 'linphone'];
let cfg: TestConfigDir;

beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

function load(applications: string): PushwireConfig {
  cfg.applications(applications);
  return loadConfig({ configDir: cfg.dir, knownAppTypes: KNOWN });
}

function onlyApp(applications: string): AppConfig {
  const config = load(applications);
  expect(config.disabledApps).toEqual([]);
  expect(config.apps).toHaveLength(1);
  return config.apps[0] as AppConfig;
}

function onlyDisabled(applications: string): DisabledApp {
  const config = load(applications);
  expect(config.apps).toEqual([]);
  expect(config.disabledApps).toHaveLength(1);
  return config.disabledApps[0] as DisabledApp;
}

const apple = (extra: string, id = 'com.example.app.prod'): string =>
  `[ios]\napp_id = ${id}\napp_type = sylk\napp_platform = apple\n${extra}\n`;
const firebase = (extra: string): string =>
  `[android]\napp_id = com.example.app\napp_type = linphone\napp_platform = firebase\n${extra}\n`;
const V1_URL = 'firebase_push_url = https://fcm.googleapis.com/v1/projects/myapp-12345/messages:send';

describe('Apple apps', () => {
  it('uses token auth when apple_key, key_id and team_id are all set', () => {
    const key = p8Key();
    const keyFile = cfg.credential('AuthKey_ABC123.p8', key);
    const app = onlyApp(
      apple(
        'apple_key = AuthKey_ABC123.p8\nkey_id = ABC123\nteam_id = TEAM1\napple_push_url = api.sandbox.push.apple.com\nvoip = True',
      ),
    );
    expect(app).toMatchObject({
      section: 'ios',
      appId: 'com.example.app.prod',
      appType: 'sylk',
      platform: 'apple',
      pushHost: 'api.sandbox.push.apple.com',
      pushPort: 443,
      voip: true,
      caPem: null,
      auth: { kind: 'token', keyFile, keyId: 'ABC123', teamId: 'TEAM1' },
    });
    expect(app.auth.kind === 'token' && app.auth.keyPem).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('accepts host:port and [ipv6]:port as a Pushwire extension', () => {
    cfg.credential('k.p8', p8Key());
    const token = 'apple_key = k.p8\nkey_id = K\nteam_id = T\n';
    expect(onlyApp(apple(`${token}apple_push_url = 127.0.0.1:8443`))).toMatchObject({
      pushHost: '127.0.0.1',
      pushPort: 8443,
    });
    expect(onlyApp(apple(`${token}apple_push_url = [::1]:9000`))).toMatchObject({ pushHost: '::1', pushPort: 9000 });
  });

  it('uses certificate auth with a separate key file, and voip only for the string true', () => {
    const pem = clientCertificate();
    const certFile = cfg.credential('com.example.pem', pem.cert);
    const keyFile = cfg.credential('com.example.key.pem', pem.key);
    const app = onlyApp(
      apple(
        'apple_certificate = com.example.pem\napple_key = com.example.key.pem\napple_push_url = api.push.apple.com\nvoip = yes',
      ),
    );
    expect(app).toMatchObject({ voip: false, auth: { kind: 'certificate', certFile, keyFile } });
    expect(app.auth.kind === 'certificate' && app.auth.certPem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('takes the key from the certificate file when apple_key is not set', () => {
    const pem = clientCertificate();
    const certFile = cfg.credential('both.pem', pem.key + pem.cert);
    const app = onlyApp(apple('apple_certificate = both.pem\napple_push_url = api.push.apple.com'));
    expect(app.auth).toMatchObject({ kind: 'certificate', certFile, keyFile: certFile });
    expect(app.auth.kind === 'certificate' && app.auth.certPem).not.toContain('PRIVATE KEY');
  });

  it('falls back to certificate auth when key_id or team_id is missing', () => {
    cfg.credential('k.p8', p8Key());
    const disabled = onlyDisabled(apple('apple_key = k.p8\nkey_id = K\napple_push_url = api.push.apple.com'));
    expect(disabled.reason).toBe(
      'apple_certificate not found in applications.ini: token auth needs all of apple_key, key_id and team_id; configure ' +
        `either apple_key (.p8) + key_id + team_id (token auth) or apple_certificate (certificate auth), with the files in ${cfg.credentials}`,
    );
  });

  it('looks for credentials under the credentials folder even when the name is absolute', () => {
    const keyFile = cfg.credential('etc/keys/k.p8', p8Key());
    const app = onlyApp(
      apple('apple_key = /etc/keys/k.p8\nkey_id = K\nteam_id = T\napple_push_url = api.push.apple.com'),
    );
    expect(app.auth).toMatchObject({ kind: 'token', keyFile });
  });

  it.each([
    ['no push URL', 'apple_key = k.p8\nkey_id = K\nteam_id = T', 'apple_push_url not found in applications.ini'],
    [
      'a URL instead of a host',
      'apple_push_url = https://api.push.apple.com',
      'apple_push_url must be a host name or host:port, got "https://api.push.apple.com"',
    ],
    [
      'a bad port',
      'apple_push_url = api.push.apple.com:99999',
      'apple_push_url must be a host name or host:port, got "api.push.apple.com:99999"',
    ],
  ])('disables the app on %s', (_label, settings, reason) => {
    expect(onlyDisabled(apple(settings)).reason).toBe(reason);
  });

  it('names both ways to configure an Apple credential, and the folder looked in, when none is set', () => {
    expect(onlyDisabled(apple('apple_push_url = api.push.apple.com')).reason).toBe(
      'apple_certificate not found in applications.ini: configure either apple_key (.p8) + key_id + team_id (token auth) ' +
        `or apple_certificate (certificate auth), with the files in ${cfg.credentials}`,
    );
  });

  it('disables the app when a credential file is missing, in Sylk words', () => {
    const missing = join(cfg.credentials, 'nope.p8');
    expect(onlyDisabled(apple('apple_key = nope.p8\nkey_id = K\nteam_id = T\napple_push_url = h')).reason).toBe(
      `${missing} - no such file.`,
    );
    const cert = join(cfg.credentials, 'nope.pem');
    expect(onlyDisabled(apple('apple_certificate = nope.pem\napple_push_url = h')).reason).toBe(
      `${cert} - no such file.`,
    );
    cfg.credential('c.pem', clientCertificate().cert);
    expect(onlyDisabled(apple('apple_certificate = c.pem\napple_key = nokey.pem\napple_push_url = h')).reason).toBe(
      `${join(cfg.credentials, 'nokey.pem')} - no such file.`,
    );
  });

  it('disables the app when the .p8 is not an EC P-256 key', () => {
    const path = cfg.credential('k.p8', p8Key('P-384'));
    expect(onlyDisabled(apple('apple_key = k.p8\nkey_id = K\nteam_id = T\napple_push_url = h')).reason).toBe(
      `${path} - not an EC P-256 private key (.p8), found EC secp384r1`,
    );
    cfg.credential('garbage.p8', '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n');
    expect(onlyDisabled(apple('apple_key = garbage.p8\nkey_id = K\nteam_id = T\napple_push_url = h')).reason).toBe(
      `${join(cfg.credentials, 'garbage.p8')} - not a valid PEM private key`,
    );
  });

  it('disables the app on an unparsable certificate, a missing key or a key of another certificate', () => {
    const one = clientCertificate();
    const other = clientCertificate('com.other');
    const bad = cfg.credential('bad.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(onlyDisabled(apple('apple_certificate = bad.pem\napple_push_url = h')).reason).toBe(
      `${bad} - certificate 1 is not a valid X.509 certificate`,
    );
    const text = cfg.credential('text.pem', 'hello');
    expect(onlyDisabled(apple('apple_certificate = text.pem\napple_push_url = h')).reason).toBe(
      `${text} - no PEM certificate found in it`,
    );
    const certOnly = cfg.credential('cert.pem', one.cert);
    expect(onlyDisabled(apple('apple_certificate = cert.pem\napple_push_url = h')).reason).toBe(
      `${certOnly} - no private key in the certificate file and no apple_key set`,
    );
    const otherKey = cfg.credential('other.key', other.key);
    expect(onlyDisabled(apple('apple_certificate = cert.pem\napple_key = other.key\napple_push_url = h')).reason).toBe(
      `${certOnly} - bad ssl certificate: the private key in ${otherKey} does not match it`,
    );
  });

  it('loads apple_ca as the app’s extra trust anchor, and disables the app when it is missing', () => {
    cfg.credential('k.p8', p8Key());
    cfg.credential('ca.pem', caCertificate());
    const app = onlyApp(apple('apple_key = k.p8\nkey_id = K\nteam_id = T\napple_push_url = h\napple_ca = ca.pem'));
    expect(app.caPem?.trim()).toBe(caCertificate().trim());
    expect(
      onlyDisabled(apple('apple_key = k.p8\nkey_id = K\nteam_id = T\napple_push_url = h\napple_ca = no.pem')).reason,
    ).toBe(`${join(cfg.credentials, 'no.pem')} - no such file.`);
  });
});

describe('Firebase apps', () => {
  it('loads a service account file', () => {
    const file = cfg.credential('sa.json', serviceAccountJson());
    const app = onlyApp(firebase(`firebase_authorization_file = sa.json\n${V1_URL}`));
    expect(app).toMatchObject({
      platform: 'firebase',
      appType: 'linphone',
      pushUrl: 'https://fcm.googleapis.com/v1/projects/myapp-12345/messages:send',
      auth: {
        kind: 'service-account',
        file,
        serviceAccount: { project_id: 'myapp-12345', token_uri: 'https://oauth2.googleapis.com/token' },
      },
    });
  });

  it('prefers the legacy key over the file, and warns that it will not deliver and how to move', () => {
    const config = load(
      firebase(
        'firebase_authorization_key = AAAAsecret\nfirebase_authorization_file = missing.json\nfirebase_push_url = https://fcm.googleapis.com/fcm/send',
      ),
    );
    expect(config.disabledApps).toEqual([]);
    expect(config.apps[0]?.platform === 'firebase' && config.apps[0].auth).toEqual({
      kind: 'legacy-key',
      key: 'AAAAsecret',
    });
    const warning = config.warnings.find((w) => w.includes('firebase_authorization_key'));
    expect(warning).toContain('Google retired the legacy FCM API');
    expect(warning).toContain('will not deliver');
    expect(warning).toContain('service account');
    expect(warning).toContain('set firebase_authorization_file');
    expect(warning).toContain('https://fcm.googleapis.com/v1/projects/<project>/messages:send');
  });

  it.each([
    [
      'no credentials',
      V1_URL,
      'not firebase_authorization_key or firebase_authorization_file found in applications.ini',
    ],
    ['no push URL', 'firebase_authorization_key = k', 'firebase_push_url not found in applications.ini'],
    [
      'a push URL that is not a URL',
      'firebase_authorization_key = k\nfirebase_push_url = fcm.googleapis.com',
      'firebase_push_url must be an http(s) URL, got "fcm.googleapis.com"',
    ],
  ])('disables the app on %s', (_label, settings, reason) => {
    expect(onlyDisabled(firebase(settings)).reason).toBe(reason);
  });

  it('disables the app on a missing or bad service account file, in Sylk words where Sylk has them', () => {
    const path = join(cfg.credentials, 'sa.json');
    const check = (): string => onlyDisabled(firebase(`firebase_authorization_file = sa.json\n${V1_URL}`)).reason;
    expect(check()).toBe(`${path} - no such file`);
    cfg.credential('sa.json', '{ nope');
    expect(check()).toMatch(new RegExp(`^${path} - not a valid JSON file: `));
    cfg.credential('sa.json', serviceAccountJson({ client_email: undefined, token_uri: '' }));
    expect(check()).toBe(`${path} - not a service account file: missing client_email, token_uri`);
    cfg.credential(
      'sa.json',
      serviceAccountJson({ private_key: '-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n' }),
    );
    expect(check()).toBe(`${path} - private_key is not a valid unencrypted PEM private key`);
  });
});

describe('every app', () => {
  it.each([
    [
      '[a]\napp_type = sylk\napp_platform = apple\n',
      { appId: null, appType: 'sylk', platform: 'apple' },
      'app_id not found in applications.ini',
    ],
    [
      '[a]\napp_id = x\n',
      { appId: 'x', appType: null, platform: null },
      'app_type, app_platform not found in applications.ini',
    ],
    [
      '[a]\napp_id = x\napp_type = Sylk\napp_platform = iOS\n',
      { appId: 'x', appType: 'sylk', platform: 'ios' },
      'unknown app_platform "ios": it must be apple, firebase, huawei, webpush',
    ],
  ])('disables a section with missing or bad identity: %#', (text, identity, reason) => {
    expect(onlyDisabled(text)).toEqual({ section: 'a', ...identity, reason });
  });

  it('disables an unknown app_type in Sylk words, after lower-casing type and platform', () => {
    cfg.credential('k.p8', p8Key());
    const disabled = onlyDisabled(
      '[x]\napp_id = a\napp_type = MyApp\napp_platform = APPLE\napple_key = k.p8\nkey_id = K\nteam_id = T\napple_push_url = h\n',
    );
    expect(disabled).toEqual({
      section: 'x',
      appId: 'a',
      appType: 'myapp',
      platform: 'apple',
      reason: 'myapp module not found',
    });
    expect(
      onlyApp(
        '[x]\napp_id = a\napp_type = SYLK\napp_platform = Firebase\nfirebase_authorization_key = k\nfirebase_push_url = https://h/',
      ).appType,
    ).toBe('sylk');
  });

  it('lets a later section override an earlier one with the same (app_id, platform), with a warning', () => {
    cfg.credential('k.p8', p8Key());
    const config = load(
      apple('apple_push_url = first\napple_key = k.p8\nkey_id = K\nteam_id = T', 'same') +
        firebase('firebase_authorization_key = k\nfirebase_push_url = https://h/').replace('com.example.app', 'same') +
        apple('apple_push_url = second\napple_key = k.p8\nkey_id = K\nteam_id = T', 'same').replace(
          '[ios]',
          '[ios-again]',
        ),
    );
    expect(config.apps.map((a) => [a.section, a.platform])).toEqual([
      ['android', 'firebase'],
      ['ios-again', 'apple'],
    ]);
    expect(config.apps.find((a) => a.platform === 'apple')).toMatchObject({ pushHost: 'second' });
    expect(config.warnings).toContain(
      `${join(cfg.dir, 'applications.ini')}: section [ios-again] overrides section [ios]: both configure app_id same for apple platform`,
    );
  });

  it('inherits [DEFAULT] settings in every section', () => {
    cfg.credential('k.p8', p8Key());
    const config = load(
      `[DEFAULT]\napple_push_url = api.push.apple.com\napple_key = k.p8\nkey_id = K\nteam_id = T\n${apple('', 'one')}${apple('', 'two').replace('[ios]', '[ios2]')}`,
    );
    expect(config.apps.map((a) => a.platform === 'apple' && a.pushHost)).toEqual([
      'api.push.apple.com',
      'api.push.apple.com',
    ]);
  });

  it('reads remote log settings by their documented names, with Sylk code names as fallbacks', () => {
    const legacy = 'firebase_authorization_key = k\nfirebase_push_url = https://h/\n';
    expect(
      onlyApp(
        firebase(
          `${legacy}log_remote_urls = https://a.example/log, https://b.example ,,https://a.example/log\nlog_remote_key = message\nlog_remote_timeout = 5`,
        ),
      ).logRemote,
    ).toEqual({
      urls: ['https://a.example/log', 'https://b.example'],
      key: 'message',
      timeoutMs: 5000,
    });
    expect(
      onlyApp(firebase(`${legacy}log_remote_urls = https://a.example\nlog_key = id\nlog_time_out = 0.5`)).logRemote,
    ).toEqual({
      urls: ['https://a.example'],
      key: 'id',
      timeoutMs: 500,
    });
    expect(onlyApp(firebase(legacy)).logRemote).toEqual({ urls: [], key: null, timeoutMs: 2000 });
  });

  it('warns about, and leaves out, bad remote log settings without disabling the app', () => {
    const config = load(
      firebase(
        'firebase_authorization_key = k\nfirebase_push_url = https://h/\nlog_remote_urls = ftp://x, https://ok\nlog_remote_timeout = soon',
      ),
    );
    expect(config.apps[0]?.logRemote).toEqual({ urls: ['https://ok'], key: null, timeoutMs: 2000 });
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('log_remote_urls: "ftp://x" is not an http(s) URL'),
        expect.stringContaining('log_remote_timeout must be a positive number of seconds, got "soon"'),
      ]),
    );
  });
});
