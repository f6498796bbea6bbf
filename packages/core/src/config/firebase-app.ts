// One Firebase (FCM) app from applications.ini: push URL and service-account (or legacy key) auth.
import { setting, type AppBase, type AppBuildContext } from './app-build.js';
import {
  AppProblem,
  credentialPath,
  parseJsonCredential,
  parsePrivateKey,
  readCredential,
} from './credential-files.js';
import type { FirebaseAppConfig, FirebaseAuth, ServiceAccount } from './types.js';

const SERVICE_ACCOUNT_FIELDS = [
  'type',
  'project_id',
  'private_key_id',
  'private_key',
  'client_email',
  'token_uri',
] as const;

/** Firebase's missing-file text has no final dot (Sylk's exact wording). */
const FIREBASE_MISSING = '';

export function buildFirebaseApp(
  values: ReadonlyMap<string, string>,
  base: AppBase,
  context: AppBuildContext,
): FirebaseAppConfig {
  // Sylk checks the credentials before the URL, so a section missing both reports the credentials.
  const auth = loadFirebaseAuth(values, context);
  const pushUrl = setting(values, 'firebase_push_url');
  if (pushUrl === undefined) throw new AppProblem('firebase_push_url not found in applications.ini');
  if (!URL.canParse(pushUrl) || !/^https?:$/.test(new URL(pushUrl).protocol)) {
    throw new AppProblem(`firebase_push_url must be an http(s) URL, got "${pushUrl}"`);
  }

  if (auth.kind === 'legacy-key') {
    context.warn(
      `Firebase app ${base.appId} uses firebase_authorization_key: Google retired the legacy FCM API, so this app ` +
        'will not deliver. To move to FCM v1, create a service account in the Firebase console (Project ' +
        'settings > Service accounts > Generate new private key), put its JSON file in the credentials ' +
        'folder, set firebase_authorization_file to its name, remove firebase_authorization_key and set ' +
        'firebase_push_url = https://fcm.googleapis.com/v1/projects/<project>/messages:send',
    );
  } else if (new URL(pushUrl).pathname.endsWith('/fcm/send')) {
    context.warn(
      `Firebase app ${base.appId} has a service account but the legacy firebase_push_url ${pushUrl}: use ` +
        `https://fcm.googleapis.com/v1/projects/${auth.serviceAccount.project_id}/messages:send`,
    );
  }
  return { ...base, platform: 'firebase', pushUrl, auth };
}

function loadFirebaseAuth(values: ReadonlyMap<string, string>, context: AppBuildContext): FirebaseAuth {
  const legacyKey = setting(values, 'firebase_authorization_key');
  if (legacyKey !== undefined) return { kind: 'legacy-key', key: legacyKey };

  const fileName = setting(values, 'firebase_authorization_file');
  if (fileName === undefined) {
    throw new AppProblem('not firebase_authorization_key or firebase_authorization_file found in applications.ini');
  }
  const file = credentialPath(context.credentialsDir, fileName);
  return {
    kind: 'service-account',
    file,
    serviceAccount: parseServiceAccount(readCredential(file, FIREBASE_MISSING), file),
  };
}

/** A Google service-account key file: the fields FCM v1 OAuth needs, with a usable private key. */
export function parseServiceAccount(text: string, file: string): ServiceAccount {
  const record = parseJsonCredential(text, file, 'not a service account file: expected a JSON object');
  const missing = SERVICE_ACCOUNT_FIELDS.filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (missing.length > 0) {
    throw new AppProblem(`${file} - not a service account file: missing ${missing.join(', ')}`);
  }
  try {
    parsePrivateKey(String(record.private_key), file);
  } catch {
    throw new AppProblem(`${file} - private_key is not a valid unencrypted PEM private key`);
  }
  const tokenUri = String(record.token_uri);
  if (!URL.canParse(tokenUri) || !/^https?:$/.test(new URL(tokenUri).protocol)) {
    throw new AppProblem(`${file} - token_uri must be an http(s) URL, got "${tokenUri}"`);
  }
  return record as ServiceAccount;
}
