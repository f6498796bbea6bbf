// Sylk's own sample config files load, as shipped and with their settings switched on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import {
  clientCertificate,
  makeConfigDir,
  p8Key,
  serviceAccountJson,
  type TestConfigDir,
} from '../test-support/config-dir.js';

// Sylk's own sample files, unchanged (see fixtures/README.md).
const GENERAL_SAMPLE = readFileSync(new URL('./fixtures/general.ini.sample', import.meta.url), 'utf8');
const APPLICATIONS_SAMPLE = readFileSync(new URL('./fixtures/applications.ini.sample', import.meta.url), 'utf8');

/** Switches on every `; key = value` line, as an operator editing the sample would. */
function uncomment(text: string): string {
  return text.replace(/^; ([a-z_]+ =.*)$/gm, '$1');
}

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

const load = () =>
  loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk', 'linphone'], systemSpoolDir: join(cfg.dir, 'no-spool') });

describe("Sylk's sample files", () => {
  it('load as shipped: defaults everywhere, and every all-commented section is a disabled app', () => {
    cfg.general(GENERAL_SAMPLE);
    cfg.applications(APPLICATIONS_SAMPLE);
    const config = load();
    expect(config.server).toMatchObject({
      host: '127.0.0.1',
      port: 8400,
      returnAsync: true,
      allowedHosts: [],
      tlsCertificate: null,
    });
    expect(config.cassandra).toBeNull();
    expect(config.apps).toEqual([]);
    expect(config.disabledApps.map((d) => [d.section, d.reason])).toEqual([
      ['myapp-apple', 'app_id, app_type, app_platform not found in applications.ini'],
      ['myapp-apple2', 'app_id, app_type, app_platform not found in applications.ini'],
      ['myapp-firebase', 'app_id, app_type, app_platform not found in applications.ini'],
      ['myapp-firebase2', 'app_id, app_type, app_platform not found in applications.ini'],
    ]);
  });

  it("refuse to start with the general sample's `allowed_hosts = []` switched on, as Sylk", () => {
    cfg.general(uncomment(GENERAL_SAMPLE));
    cfg.applications(APPLICATIONS_SAMPLE);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      `${join(cfg.dir, 'general.ini')}: [server] allowed_hosts: wrong acl settings: '[]/32' does not appear to be an IPv4 or IPv6 network`,
    );
  });

  it('load with every setting switched on and the credentials they name', () => {
    cfg.general(
      uncomment(GENERAL_SAMPLE).replace('allowed_hosts = []', 'allowed_hosts = 10.10.10.0/24, 127.0.0.1, 192.168.1.2'),
    );
    cfg.applications(uncomment(APPLICATIONS_SAMPLE));
    const pem = clientCertificate('com.agprojects.sylk-ios');
    cfg.credential('com.myapp-ios.pem', pem.cert);
    cfg.credential('com.myapp-ios.key.pem', pem.key);
    cfg.credential('AuthKey_KEYID.p8', p8Key());
    // The sample's `credentials/` prefix doubles the folder in Sylk too (`f"{credentials}/{name}"`).
    const saFile = cfg.credential(
      'credentials/myapp-xxxxx-firebase-adminsdk-xxxxx-xxxxxxxx.json',
      serviceAccountJson(),
    );

    const config = load();
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8400,
      tlsCertificate: null,
      returnAsync: true,
      allowedHosts: ['10.10.10.0/24', '127.0.0.1/32', '192.168.1.2/32'],
      logToFile: true,
      logFile: '/var/log/sylk-pushserver/push.log',
      debug: false,
      spoolDir: '/var/spool/sylk-pushserver',
    });
    expect(config.cassandra).toBeNull();
    expect(config.disabledApps).toEqual([]);
    expect(config.apps.map((a) => [a.section, a.appId, a.platform, a.appType, a.auth.kind])).toEqual([
      ['myapp-apple2', 'com.agprojects.sylk-ios', 'apple', 'sylk', 'token'],
      ['myapp-firebase', 'com.agprojects.sylk', 'firebase', 'sylk', 'service-account'],
      ['myapp-firebase2', 'myapp', 'firebase', 'linphone', 'legacy-key'],
    ]);
    expect(config.apps[0]).toMatchObject({
      pushHost: 'api.sandbox.push.apple.com',
      pushPort: 443,
      voip: true,
      logRemote: { urls: ['https://myapp.net', 'https://example.com'], key: 'message', timeoutMs: 5000 },
      auth: { keyId: '***Key ID for key in p8 file***', teamId: '***The Apple Team ID for your developer team***' },
    });
    expect(config.apps[1]).toMatchObject({ auth: { file: saFile } });
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('section [myapp-apple2] overrides section [myapp-apple]'),
        expect.stringContaining('Google retired the legacy FCM API'),
        expect.stringContaining('[applications] extra_applications_dir is ignored'),
        expect.stringContaining('[applications] extra_pns_dir is ignored'),
      ]),
    );
  });
});
