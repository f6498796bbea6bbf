// `pushwire config check --live` as an operator runs it, against the strict sandbox emulators: good credentials
// pass without notifying anyone (APNs: a dummy token, FCM and Push Kit: a dry run), broken ones fail with the
// push service's reason, and the exit code says whether everything passed.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_HUAWEI_APP_ID,
  SANDBOX_KEY_ID,
  SANDBOX_PROJECT_ID,
  SANDBOX_TEAM_ID,
  startSandbox,
  type Sandbox,
} from '@pushwire/sandbox-emulators';
import { createTestCa } from '@pushwire/sandbox-emulators';
import { spawnPushwire } from '../harness/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DUMMY_APNS_TOKEN = '0'.repeat(64);
const DUMMY_FCM_TOKEN = 'pushwire-config-check-not-a-registration-token';
const SYLK = 'com.pushwire.sandbox.sylk.dev';
const LINPHONE = 'com.pushwire.sandbox.linphone.dev';

const dir = mkdtempSync(join(tmpdir(), 'pushwire-live-check-'));
const prefix = `pwtest-live-${randomUUID()}`;
const redis = new Redis(REDIS_URL);
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ dir: join(dir, 'config') });
});
afterAll(async () => {
  await sandbox?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

async function check(
  configDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; lines: string[] }> {
  const proc = spawnPushwire(['config', 'check', '--live', '--config_dir', configDir], {
    REDIS_URL,
    PUSHWIRE_PREFIX: prefix,
    ...env,
  });
  const code = await proc.exited;
  return {
    code,
    lines: proc
      .output()
      .split('\n')
      .filter((l) => l !== ''),
  };
}

const lineFor = (lines: string[], appId: string, platform: string) =>
  lines.find((l) => new RegExp(`^(OK|FAIL) +${platform} +\\w+ +${appId.replaceAll('.', '\\.')}: `).test(l));

describe('pushwire config check --live', () => {
  it('without --live: the static check only, nothing sent', async () => {
    const proc = spawnPushwire(['config', 'check', '--config_dir', sandbox.configDir], {
      REDIS_URL,
      PUSHWIRE_PREFIX: prefix,
    });
    const code = await proc.exited;
    expect(code, proc.output()).toBe(0);
    expect(proc.output()).toContain(`ok       apple    sylk      ${SYLK}`);
    expect(proc.output()).not.toMatch(/^(OK|FAIL) /m);
    expect(
      sandbox.apns.requests.length +
        sandbox.fcm.requests.length +
        sandbox.fcm.tokenRequests.length +
        sandbox.webpush.requests.length,
    ).toBe(0);
  });

  it("passes good credentials, notifying nobody, with the workers' shared APNs provider token", async () => {
    const { code, lines } = await check(sandbox.configDir);
    expect(code, lines.join('\n')).toBe(0);
    expect(lineFor(lines, SYLK, 'apple')).toBe(
      `OK       apple    sylk      ${SYLK}: credentials accepted: APNs answered BadDeviceToken to a dummy device token`,
    );
    expect(lineFor(lines, LINPHONE, 'apple')).toMatch(/^OK .*BadDeviceToken/);
    expect(lineFor(lines, SYLK, 'firebase')).toBe(
      `OK       firebase sylk      ${SYLK}: credentials accepted: FCM validated a dry-run message (validate_only: nothing delivered)`,
    );
    expect(lineFor(lines, LINPHONE, 'firebase')).toMatch(/^OK .*validate_only/);
    expect(lineFor(lines, SYLK, 'huawei')).toBe(
      `OK       huawei   sylk      ${SYLK}: credentials accepted: Push Kit validated a validate_only message (nothing delivered)`,
    );
    // Push Kit: the secret proven by a grant, then one validate_only send (nothing delivered).
    expect(sandbox.huawei.grants.every((g) => g.status === 200 && g.form.client_id === SANDBOX_HUAWEI_APP_ID)).toBe(
      true,
    );
    expect(sandbox.huawei.sends.map((s) => [s.code, s.validateOnly])).toEqual([['80000000', true]]);
    expect(lineFor(lines, SYLK, 'webpush')).toBe(
      `OK       webpush  sylk      ${SYLK}: VAPID key accepted: 127.0.0.1:${sandbox.webpush.port} answered 404 for the probe subscription (nothing delivered)`,
    );
    // The emulator verified the probe's VAPID JWT before it looked the subscription up.
    expect(sandbox.webpush.requests.map((r) => [r.id, r.status, r.vapid?.aud])).toEqual([
      ['config-check-probe', 404, sandbox.webpush.origin],
    ]);

    // APNs saw two authenticated wake-ups to the dummy token and delivered neither.
    const apns = sandbox.apns.requests;
    expect(apns.map((r) => [r.token, r.status, r.reason, r.auth.kind, r.headers['apns-push-type']])).toEqual([
      [DUMMY_APNS_TOKEN, 400, 'BadDeviceToken', 'token', 'voip'],
      [DUMMY_APNS_TOKEN, 400, 'BadDeviceToken', 'token', 'voip'],
    ]);
    // FCM: a grant, then dry runs only.
    expect(sandbox.fcm.tokenRequests.filter((t) => t.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(
      sandbox.fcm.requests.map((r) => [r.token, r.status, (r.json as { validate_only?: unknown }).validate_only]),
    ).toEqual([
      [DUMMY_FCM_TOKEN, 200, true],
      [DUMMY_FCM_TOKEN, 200, true],
    ]);
    expect(sandbox.fcm.requests.map((r) => (r.response as { name: string }).name)).toEqual([
      `projects/${SANDBOX_PROJECT_ID}/messages/fake_message_id`,
      `projects/${SANDBOX_PROJECT_ID}/messages/fake_message_id`,
    ]);
    // The check used (and left) the provider token the workers share, so it never makes APNs see a second one.
    const shared = JSON.parse(
      (await redis.get(`${prefix}:apns-jwt:${SANDBOX_TEAM_ID}:${SANDBOX_KEY_ID}`)) ?? 'null',
    ) as { jwt: string } | null;
    expect(apns.every((r) => r.auth.kind === 'token' && r.auth.jwt === shared?.jwt)).toBe(true);
  });

  it("counts FCM's INVALID_ARGUMENT and UNREGISTERED about the dummy token as accepted credentials", async () => {
    sandbox.fcm.reset();
    sandbox.fcm.failToken(DUMMY_FCM_TOKEN, {
      status: 400,
      errorStatus: 'INVALID_ARGUMENT',
      message: 'The registration token is not a valid FCM registration token',
      times: 1,
    });
    sandbox.fcm.failToken(DUMMY_FCM_TOKEN, { status: 404, errorStatus: 'UNREGISTERED', times: 1 });
    const { code, lines } = await check(sandbox.configDir);
    expect(code, lines.join('\n')).toBe(0);
    // The two apps are probed in parallel: which one meets which fault is not fixed.
    const firebase = [lineFor(lines, SYLK, 'firebase'), lineFor(lines, LINPHONE, 'firebase')];
    expect(firebase).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OK .*: credentials accepted: FCM answered 400 INVALID_ARGUMENT to a dummy token$/),
        expect.stringMatching(/^OK .*: credentials accepted: FCM answered 404 UNREGISTERED to a dummy token$/),
      ]),
    );
  });

  it("fails broken credentials with the push service's reason, and exits 1", async () => {
    const configDir = join(dir, 'config');
    const credentials = join(configDir, 'credentials');
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    writeFileSync(join(credentials, 'unknown-key.p8'), otherKey);
    const stranger = createTestCa('Not Apple').issueClient({
      commonName: 'Apple Push Services: com.broken.cert',
      uid: 'com.broken.cert',
    });
    writeFileSync(join(credentials, 'untrusted-cert.pem'), `${stranger.cert}${stranger.key}`);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unknownAccount = {
      type: 'service_account',
      project_id: SANDBOX_PROJECT_ID,
      private_key_id: 'f'.repeat(40),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: `unknown@${SANDBOX_PROJECT_ID}.iam.gserviceaccount.com`,
      token_uri: sandbox.fcm.tokenUri,
    };
    writeFileSync(join(credentials, 'unknown-service-account.json'), JSON.stringify(unknownAccount));
    writeFileSync(
      join(credentials, 'wrong-huawei-secret.json'),
      JSON.stringify({ app_id: SANDBOX_HUAWEI_APP_ID, client_secret: 'not-the-secret' }),
    );
    const apple = `apple_push_url = 127.0.0.1:${sandbox.apns.port}\napple_ca = sandbox-ca.pem`;
    appendFileSync(
      join(configDir, 'applications.ini'),
      [
        `\n[wrong-key-id]\napp_id = com.broken.kid\napp_type = sylk\napp_platform = apple\n${apple}\napple_key = sandbox-apns.p8\nkey_id = WRONGKEY01\nteam_id = ${SANDBOX_TEAM_ID}\n`,
        `[unknown-key]\napp_id = com.broken.key\napp_type = sylk\napp_platform = apple\n${apple}\napple_key = unknown-key.p8\nkey_id = OTHERKEY01\nteam_id = ${SANDBOX_TEAM_ID}\n`,
        `[untrusted-certificate]\napp_id = com.broken.cert\napp_type = linphone\napp_platform = apple\n${apple}\napple_certificate = untrusted-cert.pem\n`,
        `[unknown-service-account]\napp_id = com.broken.sa\napp_type = sylk\napp_platform = firebase\nfirebase_push_url = ${sandbox.fcm.sendUrl(SANDBOX_PROJECT_ID)}\nfirebase_authorization_file = unknown-service-account.json\nfirebase_ca = sandbox-ca.pem\n`,
        `[wrong-project]\napp_id = com.broken.project\napp_type = sylk\napp_platform = firebase\nfirebase_push_url = ${sandbox.fcm.sendUrl('someone-elses-project')}\nfirebase_authorization_file = sandbox-fcm-service-account.json\nfirebase_ca = sandbox-ca.pem\n`,
        `[wrong-huawei-secret]\napp_id = com.broken.huawei\napp_type = sylk\napp_platform = huawei\nhuawei_push_url = ${sandbox.huawei.origin}\nhuawei_token_url = ${sandbox.huawei.tokenUrl}\nhuawei_authorization_file = wrong-huawei-secret.json\nhuawei_ca = sandbox-ca.pem\n`,
        `[legacy-key]\napp_id = com.broken.legacy\napp_type = linphone\napp_platform = firebase\nfirebase_push_url = ${sandbox.fcm.legacyUrl}\nfirebase_authorization_key = AAAAlegacyserverkey\nfirebase_ca = sandbox-ca.pem\n`,
        `[web-other-key]\napp_id = com.broken.web\napp_type = sylk\napp_platform = webpush\nvapid_subject = mailto:a@example.com\nvapid_key_file = sandbox-vapid.json\nwebpush_ca = sandbox-ca.pem\nwebpush_check_endpoint = ${sandbox.webpush.subscribe({ applicationServerKey: `B${'A'.repeat(86)}` }).endpoint}\n`,
      ].join('\n'),
    );
    sandbox.apns.reset();
    sandbox.fcm.reset();
    sandbox.huawei.reset();

    const { code, lines } = await check(configDir);
    expect(code, lines.join('\n')).toBe(1);
    expect(lineFor(lines, SYLK, 'apple')).toMatch(/^OK /);
    expect(lineFor(lines, SYLK, 'firebase')).toMatch(/^OK /);
    expect(lineFor(lines, 'com.broken.kid', 'apple')).toBe(
      'FAIL     apple    sylk      com.broken.kid: credentials refused: 403 InvalidProviderToken - The provider token is not valid or the token signature could not be verified.',
    );
    expect(lineFor(lines, 'com.broken.key', 'apple')).toMatch(
      /^FAIL .*: credentials refused: 403 InvalidProviderToken/,
    );
    expect(lineFor(lines, 'com.broken.cert', 'apple')).toBe(
      'FAIL     apple    linphone  com.broken.cert: credentials refused: 403 BadCertificate - The certificate was bad.',
    );
    expect(lineFor(lines, 'com.broken.sa', 'firebase')).toMatch(
      /^FAIL .*: service account refused by https:\/\/127\.0\.0\.1:\d+\/token: .*account not found/,
    );
    expect(lineFor(lines, 'com.broken.project', 'firebase')).toMatch(/^FAIL .*: credentials refused: 403 Forbidden /);
    expect(lineFor(lines, 'com.broken.web', 'webpush')).toMatch(
      /^FAIL .*com\.broken\.web: VAPID key refused by 127\.0\.0\.1:\d+: 403$/,
    );
    expect(lineFor(lines, 'com.broken.legacy', 'firebase')).toMatch(
      /^FAIL .*: credentials refused: 401 INVALID_KEY.* \(legacy server key: Google retired that API; use a service account, firebase_authorization_file\)$/,
    );
    expect(lineFor(lines, SYLK, 'huawei')).toMatch(/^OK /);
    expect(lineFor(lines, 'com.broken.huawei', 'huawei')).toMatch(
      /^FAIL {5}huawei {3}sylk {6}com\.broken\.huawei: app secret refused by https:\/\/127\.0\.0\.1:\d+\/oauth2\/v3\/token: HTTP 400 1101: invalid client/,
    );
    expect(lines.join('\n')).not.toContain('not-the-secret');
    // The legacy dry run carried no v1 flag (the retired API's own is dry_run).
    expect(sandbox.fcm.requests.find((r) => r.projectId === null)?.json).toMatchObject({ dry_run: true });
    // Nothing reached a device: every APNs request went to the dummy token, every FCM send was a dry run.
    expect(sandbox.apns.requests.every((r) => r.token === DUMMY_APNS_TOKEN && !r.delivered)).toBe(true);
    expect(
      sandbox.fcm.requests.every(
        (r) => r.projectId === null || (r.json as { validate_only?: unknown }).validate_only === true,
      ),
    ).toBe(true);
    expect(sandbox.huawei.sends.every((r) => r.validateOnly)).toBe(true);
  });
});

describe('pushwire config check --live without Redis', () => {
  it('signs its own APNs provider token, says so, and still proves the credentials', async () => {
    const own = await startSandbox({ dir: join(dir, 'own-config') });
    try {
      const { code, lines } = await check(own.configDir, { REDIS_URL: 'redis://127.0.0.1:1' });
      expect(code, lines.join('\n')).toBe(0);
      expect(lines).toContain(
        "note     Redis at redis://127.0.0.1:1 unreachable: APNs provider tokens signed here, not the workers' shared ones",
      );
      expect(lines.filter((l) => l.startsWith('OK '))).toHaveLength(6);
      // One token for both Apple apps (same key): APNs would refuse a second one within 20 minutes.
      expect(new Set(own.apns.requests.map((r) => (r.auth.kind === 'token' ? r.auth.jwt : null))).size).toBe(1);
    } finally {
      await own.close();
    }
  });
});
