// applications.ini: Huawei Push Kit apps (`app_platform = huawei`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { redactConfig } from './redact.js';
import { makeConfigDir, type TestConfigDir } from '../test-support/config-dir.js';

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

const huawei = (extra: string): string =>
  `[hms]\napp_id = com.example.app\napp_type = sylk\napp_platform = huawei\n${extra}\n`;

function load(applications: string) {
  cfg.applications(applications);
  return loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk', 'linphone'] });
}

describe('Huawei apps', () => {
  it("reads the App ID and secret from the credentials file; Huawei's URLs by default; TTL follows the call deadline", () => {
    const file = cfg.credential('huawei.json', JSON.stringify({ app_id: '104567890', client_secret: 's3cret' }));
    const config = load(huawei('huawei_authorization_file = huawei.json'));
    expect(config.disabledApps).toEqual([]);
    expect(config.apps).toEqual([
      expect.objectContaining({
        platform: 'huawei',
        appId: 'com.example.app',
        pushUrl: 'https://push-api.cloud.huawei.com/v1/104567890/messages:send',
        tokenUrl: 'https://oauth-login.cloud.huawei.com/oauth2/v3/token',
        auth: { kind: 'client-credentials', file, clientId: '104567890', clientSecret: 's3cret' },
        delivery: { callDeadlineMs: 60_000, expirationFromDeadline: true },
      }),
    ]);
    expect(JSON.stringify(redactConfig(config))).not.toContain('s3cret');
  });

  it('takes huawei_push_url / huawei_token_url, and expiration_from_deadline = false when set', () => {
    cfg.credential('h.json', JSON.stringify({ client_id: 104567890, client_secret: 'x' }));
    const [app] = load(
      huawei(
        'huawei_authorization_file = h.json\nhuawei_push_url = https://127.0.0.1:9443/\nhuawei_token_url = https://127.0.0.1:9443/oauth2/v3/token\nexpiration_from_deadline = no',
      ),
    ).apps;
    expect(app).toMatchObject({
      pushUrl: 'https://127.0.0.1:9443/v1/104567890/messages:send',
      tokenUrl: 'https://127.0.0.1:9443/oauth2/v3/token',
      delivery: { expirationFromDeadline: false },
    });
  });

  it.each([
    ['', undefined, 'huawei_authorization_file not found in applications.ini'],
    ['huawei_authorization_file = missing.json', undefined, '/credentials/missing.json - no such file.'],
    ['huawei_authorization_file = h.json', 'not json', 'h.json - not a valid JSON file'],
    [
      'huawei_authorization_file = h.json',
      '{"app_id":"104567890"}',
      'h.json - not a Huawei credentials file: missing client_secret',
    ],
    [
      'huawei_authorization_file = h.json',
      '{"app_id":"com.example","client_secret":"x"}',
      `h.json - app_id must be Huawei's numeric App ID, got "com.example"`,
    ],
    [
      'huawei_authorization_file = h.json\nhuawei_push_url = ftp://x',
      '{"app_id":"1","client_secret":"x"}',
      'huawei_push_url must be an http(s) URL, got "ftp://x"',
    ],
  ])('disables the app on a bad setting or file (%s)', (extra, file, reason) => {
    if (file !== undefined) cfg.credential('h.json', file);
    const config = load(huawei(extra));
    expect(config.apps).toEqual([]);
    expect(config.disabledApps).toEqual([
      expect.objectContaining({
        platform: 'huawei',
        appId: 'com.example.app',
        reason: expect.stringContaining(reason),
      }),
    ]);
  });
});
