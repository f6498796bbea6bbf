// redactConfig: nothing secret survives in the logged copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { REDACTED, redactConfig, redactUrlPassword } from './redact.js';
import { redactUrlSecrets } from './redact-url.js';
import {
  caCertificate,
  clientCertificate,
  makeConfigDir,
  p8Key,
  serviceAccountJson,
  type TestConfigDir,
} from '../test-support/config-dir.js';
import type { PushwireConfig } from './types.js';

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

/** One app of every credential kind, with a CA, and a Redis URL with a password. */
function fullConfig(): { config: PushwireConfig; secrets: string[] } {
  const pem = clientCertificate();
  const p8 = p8Key();
  const sa = serviceAccountJson();
  cfg.credential('cert.pem', pem.cert);
  cfg.credential('key.pem', pem.key);
  cfg.credential('k.p8', p8);
  cfg.credential('sa.json', sa);
  cfg.credential('ca.pem', caCertificate());
  cfg.applications(
    '[cert]\napp_id = a\napp_type = sylk\napp_platform = apple\napple_push_url = h\napple_certificate = cert.pem\napple_key = key.pem\napple_ca = ca.pem\n' +
      '[token]\napp_id = b\napp_type = sylk\napp_platform = apple\napple_push_url = h\napple_key = k.p8\nkey_id = K\nteam_id = T\n' +
      '[sa]\napp_id = c\napp_type = sylk\napp_platform = firebase\nfirebase_push_url = https://h/\nfirebase_authorization_file = sa.json\nfirebase_ca = ca.pem\n' +
      '[legacy]\napp_id = d\napp_type = sylk\napp_platform = firebase\nfirebase_push_url = https://h/\nfirebase_authorization_key = AAAA-legacy-server-key\n',
  );
  const config = loadConfig({
    configDir: cfg.dir,
    knownAppTypes: ['sylk'],
    env: { REDIS_URL: 'redis://user:hunter2-password@redis.example:6379/0' },
  });
  expect(config.apps).toHaveLength(4);
  const privateKey = (JSON.parse(sa) as { private_key: string }).private_key;
  // One base64 line of each key is enough to tell whether the key leaked.
  const body = (text: string): string => text.split(/\r?\n/)[1] ?? 'missing';
  return {
    config,
    secrets: [body(pem.key), body(p8), body(privateKey), 'AAAA-legacy-server-key', 'hunter2-password', '-----BEGIN'],
  };
}

describe('redactConfig', () => {
  it('leaves no PEM, key or password text in the JSON', () => {
    const { config, secrets } = fullConfig();
    const json = JSON.stringify(redactConfig(config));
    for (const secret of secrets) expect(json).not.toContain(secret);
    // The originals did hold them, so the check above can fail.
    const unredacted = JSON.stringify(config);
    for (const secret of secrets) expect(unredacted).toContain(secret);
  });

  it('replaces each secret field by the marker and keeps everything else', () => {
    const { config } = fullConfig();
    const redacted = redactConfig(config) as unknown as PushwireConfig;
    const [cert, token, sa, legacy] = redacted.apps;
    expect(cert).toMatchObject({
      appId: 'a',
      caPem: REDACTED,
      auth: { kind: 'certificate', certPem: REDACTED, keyPem: REDACTED, certFile: join(cfg.credentials, 'cert.pem') },
    });
    expect(token).toMatchObject({ auth: { kind: 'token', keyPem: REDACTED, keyId: 'K', teamId: 'T' }, caPem: null });
    expect(sa).toMatchObject({
      auth: { kind: 'service-account', serviceAccount: { private_key: REDACTED, project_id: 'myapp-12345' } },
    });
    expect(legacy).toMatchObject({ auth: { kind: 'legacy-key', key: REDACTED } });
    expect(redacted.pushwire.redisUrl).toBe(`redis://user:${REDACTED}@redis.example:6379/0`);
    expect(redacted.server).toEqual(config.server);
  });

  it('does not change the config it is given', () => {
    const { config } = fullConfig();
    const before = JSON.stringify(config);
    redactConfig(config);
    expect(JSON.stringify(config)).toBe(before);
  });

  it('redacts any other PEM text too', () => {
    const config = loadConfig({ configDir: null, knownAppTypes: [] });
    config.warnings.push(readFileSync(cfg.credential('x.pem', caCertificate()), 'utf8'));
    expect(redactConfig(config).warnings).toEqual([REDACTED]);
  });
});

describe('log sink URLs', () => {
  it('reach the debug configuration dump without user:pass@ or key parameters, and bad ones are warned about redacted', () => {
    cfg.applications(
      '[sinks]\napp_id = s\napp_type = sylk\napp_platform = firebase\nfirebase_push_url = https://h/\nfirebase_authorization_key = k\n' +
        'log_remote_urls = https://logger:s1nk-pass@logs.example/in, https://logs.example/in?api_key=s1nk-key&tag=pw, ftp://u:s1nk-ftp@x/\n',
    );
    const config = loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk'] });
    expect(config.apps[0]!.logRemote.urls).toHaveLength(2);
    const redacted = redactConfig(config) as unknown as PushwireConfig;
    expect(redacted.apps[0]!.logRemote.urls).toEqual([
      `https://logger:${REDACTED}@logs.example/in`,
      `https://logs.example/in?api_key=${REDACTED}&tag=pw`,
    ]);
    expect(JSON.stringify(redacted)).not.toContain('s1nk');
  });

  it('keep what tells them apart', () => {
    expect(redactUrlSecrets('https://logs.example/in')).toBe('https://logs.example/in');
    expect(redactUrlSecrets('https://APIKEY123@logs.example/in')).toBe(`https://${REDACTED}@logs.example/in`);
    expect(redactUrlSecrets('https://h/p?token=t&x=1&sig=s#frag')).toBe(
      `https://h/p?token=${REDACTED}&x=1&sig=${REDACTED}#frag`,
    );
  });
});

describe('redactUrlPassword', () => {
  it('hides only the password', () => {
    expect(redactUrlPassword('redis://:pw@h:1')).toBe(`redis://:${REDACTED}@h:1`);
    expect(redactUrlPassword('redis://h:1')).toBe('redis://h:1');
  });
});
