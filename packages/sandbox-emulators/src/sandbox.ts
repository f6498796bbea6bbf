// The sandbox: APNs, FCM, Huawei Push Kit and Web Push emulators plus a Sylk config directory (general.ini,
// applications.ini, credentials) with Sylk and Linphone apps on Apple and Firebase, a Sylk app on Huawei and a Sylk
// browser app. Used by `pushwire start` when no config is given, and by the end-to-end tests.
import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@pushwire/core';
import { startApnsEmulator, type ApnsEmulator } from './apns/index.js';
import { createServiceAccount, startFcmEmulator, type FcmEmulator } from './fcm/index.js';
import { startHuaweiEmulator, type HuaweiEmulator } from './huawei/index.js';
import { armSandboxErrorTokens } from './sandbox-error-tokens.js';
import { createTestCa } from './tls.js';
import { startWebPushEmulator, type WebPushEmulator } from './webpush/index.js';

export const SANDBOX_TEAM_ID = 'SANDBOXTM1';
export const SANDBOX_KEY_ID = 'SANDBOXK01';
export const SANDBOX_PROJECT_ID = 'pushwire-sandbox';
/** The sandbox's Huawei App ID (AppGallery Connect's numeric id). */
export const SANDBOX_HUAWEI_APP_ID = '109999001';

/** The sandbox apps: the same ids on both platforms, `.dev` as Sylk's convention for sandbox endpoints. */
export const SANDBOX_APPS = [
  { section: 'sylk-apple', appId: 'com.pushwire.sandbox.sylk.dev', appType: 'sylk', platform: 'apple' },
  { section: 'sylk-firebase', appId: 'com.pushwire.sandbox.sylk.dev', appType: 'sylk', platform: 'firebase' },
  { section: 'linphone-apple', appId: 'com.pushwire.sandbox.linphone.dev', appType: 'linphone', platform: 'apple' },
  {
    section: 'linphone-firebase',
    appId: 'com.pushwire.sandbox.linphone.dev',
    appType: 'linphone',
    platform: 'firebase',
  },
  { section: 'sylk-huawei', appId: 'com.pushwire.sandbox.sylk.dev', appType: 'sylk', platform: 'huawei' },
  { section: 'sylk-webpush', appId: 'com.pushwire.sandbox.sylk.dev', appType: 'sylk', platform: 'webpush' },
] as const;

/**
 * A subscription the Web Push emulator knows from the start, with fixed keys, so that the README and OpenAPI
 * examples stay the same from run to run (only the emulator's origin changes). Not a secret: sandbox only.
 */
export const SANDBOX_WEBPUSH_SUBSCRIPTION = {
  id: 'sandbox-subscription-1',
  privateKey: 'M6q55XK_8NMrjO5NaU-7-Xqz7w4HL2JaZ1HtN-EXP_0',
  auth: 'nm7uxBtlBia_7yfr5-rcVg',
  p256dh: 'BKzpv-GeZ4WMi4XvfCH1WzKmMoZ1m0vkKb1EQMVd8WHi_1Fszy2VKVsWzfPC8nI5zwkwUEWjHcvs1wSXSRL1x5E',
} as const;

export interface SandboxOptions {
  /** Where the config directory is written (replaced on every start). */
  dir: string;
  /** Extra `[server]` lines for general.ini (e.g. `return_async = false`). */
  server?: Record<string, string>;
  /** Extra per-section keys for applications.ini, by section name. */
  appExtras?: Record<string, Record<string, string>>;
  clock?: Clock;
}

export interface Sandbox {
  readonly configDir: string;
  readonly apns: ApnsEmulator;
  readonly fcm: FcmEmulator;
  readonly huawei: HuaweiEmulator;
  readonly webpush: WebPushEmulator;
  /** The CA that signed the emulators' certificates (PEM), also in `credentials/sandbox-ca.pem`. */
  readonly caPem: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const ca = createTestCa('Pushwire Sandbox CA');
  const apnsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const apns = await startApnsEmulator({
    tls: ca.issueServer(),
    clientCa: ca.cert,
    clock: options.clock,
    keys: [
      {
        teamId: SANDBOX_TEAM_ID,
        keyId: SANDBOX_KEY_ID,
        publicKeyPem: apnsKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
  });
  const fcm = await startFcmEmulator({ tls: ca.issueServer(), clock: options.clock });
  const webpush = await startWebPushEmulator({
    tls: ca.issueServer(),
    clock: options.clock,
    subscriptions: [SANDBOX_WEBPUSH_SUBSCRIPTION],
  });
  const serviceAccount = createServiceAccount({ projectId: SANDBOX_PROJECT_ID, tokenUri: fcm.tokenUri });
  fcm.addServiceAccount({
    client_email: serviceAccount.json.client_email,
    publicKeyPem: serviceAccount.publicKeyPem,
    projectId: SANDBOX_PROJECT_ID,
  });

  const huawei = await startHuaweiEmulator({ tls: ca.issueServer(), clock: options.clock });
  const huaweiSecret = randomBytes(16).toString('hex');
  huawei.addApp({ clientId: SANDBOX_HUAWEI_APP_ID, clientSecret: huaweiSecret });
  armSandboxErrorTokens(apns, fcm);

  rmSync(options.dir, { recursive: true, force: true });
  const credentials = join(options.dir, 'credentials');
  mkdirSync(credentials, { recursive: true });
  writeFileSync(join(credentials, 'sandbox-ca.pem'), ca.cert);
  writeFileSync(
    join(credentials, 'sandbox-apns.p8'),
    apnsKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    { mode: 0o600 },
  );
  writeFileSync(join(credentials, 'sandbox-fcm-service-account.json'), JSON.stringify(serviceAccount.json, null, 2), {
    mode: 0o600,
  });
  writeFileSync(
    join(credentials, 'sandbox-huawei.json'),
    JSON.stringify({ app_id: SANDBOX_HUAWEI_APP_ID, client_secret: huaweiSecret }, null, 2),
    { mode: 0o600 },
  );
  writeFileSync(join(credentials, 'sandbox-vapid.json'), JSON.stringify(vapidKeyFile()), { mode: 0o600 });

  const server = { host: '127.0.0.1', port: '8400', ...options.server };
  writeFileSync(
    join(options.dir, 'general.ini'),
    [
      "# Written by Pushwire's sandbox: SANDBOX ONLY, pushes go to local emulators.",
      '[server]',
      ...Object.entries(server).map(([k, v]) => `${k} = ${v}`),
      '',
      '[applications]',
      'config_file = applications.ini',
      'credentials_folder = credentials',
      '',
    ].join('\n'),
  );
  const apnsHost = `127.0.0.1:${apns.port}`;
  const sections = SANDBOX_APPS.map((app) => {
    const keys: Record<string, string> = {
      apple: {
        apple_push_url: apnsHost,
        apple_key: 'sandbox-apns.p8',
        key_id: SANDBOX_KEY_ID,
        team_id: SANDBOX_TEAM_ID,
        apple_ca: 'sandbox-ca.pem',
      },
      firebase: {
        firebase_push_url: fcm.sendUrl(SANDBOX_PROJECT_ID),
        firebase_authorization_file: 'sandbox-fcm-service-account.json',
        firebase_ca: 'sandbox-ca.pem',
      },
      huawei: {
        huawei_push_url: huawei.origin,
        huawei_token_url: huawei.tokenUrl,
        huawei_authorization_file: 'sandbox-huawei.json',
        huawei_ca: 'sandbox-ca.pem',
      },
      // The emulator's host joins the allow-list here only: a real config never lists a loopback address.
      webpush: {
        vapid_subject: 'mailto:sandbox@pushwire.invalid',
        vapid_key_file: 'sandbox-vapid.json',
        webpush_ca: 'sandbox-ca.pem',
        webpush_allowed_hosts: '127.0.0.1',
        webpush_check_endpoint: `${webpush.origin}/wpush/v2/config-check-probe`,
      },
    }[app.platform];
    const all = {
      app_id: app.appId,
      app_type: app.appType,
      app_platform: app.platform,
      ...keys,
      ...options.appExtras?.[app.section],
    };
    return [`[${app.section}]`, ...Object.entries(all).map(([k, v]) => `${k} = ${v}`), ''].join('\n');
  });
  writeFileSync(join(options.dir, 'applications.ini'), sections.join('\n'));
  // For a shell (the README's Web Push example): the fixed subscription as a page would hold it, and a push to it.
  const { id: _id, ...subscription } = webpush.subscription(SANDBOX_WEBPUSH_SUBSCRIPTION.id);
  writeFileSync(join(options.dir, 'webpush-subscription.json'), JSON.stringify(subscription));
  writeFileSync(
    join(options.dir, 'webpush-call.json'),
    JSON.stringify(
      {
        'app-id': 'com.pushwire.sandbox.sylk.dev',
        platform: 'web',
        token: JSON.stringify(subscription),
        event: 'incoming_session',
        'call-id': 'web-call-1',
        from: 'alice@example.com',
        'from-display-name': 'Alice',
        to: 'bob@example.com',
        'media-type': 'audio',
        silent: true,
      },
      null,
      2,
    ),
  );

  return {
    configDir: options.dir,
    apns,
    fcm,
    huawei,
    webpush,
    caPem: ca.cert,
    async close() {
      await Promise.all([apns.close(), fcm.close(), huawei.close(), webpush.close()]);
    },
  };
}

/** A fresh VAPID key pair in the format `web-push generate-vapid-keys --json` prints. */
function vapidKeyFile(): { publicKey: string; privateKey: string } {
  for (;;) {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    // A private key with a leading zero byte comes back shorter: VAPID wants exactly 32 bytes.
    const privateKey = ecdh.getPrivateKey();
    if (privateKey.length === 32)
      return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url') };
  }
}
