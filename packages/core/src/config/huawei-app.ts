// One Huawei Push Kit app from applications.ini: its OAuth client credentials and the service's URLs.
import { setting, type AppBase, type AppBuildContext } from './app-build.js';
import { AppProblem, credentialPath, parseJsonCredential, readCredential } from './credential-files.js';
import type { HuaweiAppConfig, HuaweiAuth } from './types.js';

/** Push Kit's server API host; the send path `/v1/<app id>/messages:send` is added to it. */
export const HUAWEI_PUSH_URL = 'https://push-api.cloud.huawei.com';
/** Huawei's OAuth 2.0 token endpoint (client credentials grant). */
export const HUAWEI_TOKEN_URL = 'https://oauth-login.cloud.huawei.com/oauth2/v3/token';

export function buildHuaweiApp(
  values: ReadonlyMap<string, string>,
  base: AppBase,
  context: AppBuildContext,
): HuaweiAppConfig {
  const fileName = setting(values, 'huawei_authorization_file');
  if (fileName === undefined) throw new AppProblem('huawei_authorization_file not found in applications.ini');
  const file = credentialPath(context.credentialsDir, fileName);
  const auth = parseHuaweiCredentials(readCredential(file, '.'), file);
  const pushBase = httpUrl(setting(values, 'huawei_push_url') ?? HUAWEI_PUSH_URL, 'huawei_push_url');
  const tokenUrl = httpUrl(setting(values, 'huawei_token_url') ?? HUAWEI_TOKEN_URL, 'huawei_token_url');
  const pushUrl = `${pushBase.replace(/\/+$/, '')}/v1/${encodeURIComponent(auth.clientId)}/messages:send`;
  // No Sylk literal to keep here: a call's TTL follows its deadline unless the app says otherwise
  // (docs/decisions/0023-huawei-push-kit.md).
  const explicit = (values.get('expiration_from_deadline') ?? '').trim() !== '';
  const delivery = base.delivery && !explicit ? { ...base.delivery, expirationFromDeadline: true } : base.delivery;
  return { ...base, delivery, platform: 'huawei', pushUrl, tokenUrl: tokenUrl, auth };
}

/** The credentials file: `{"app_id": "<Huawei App ID>", "client_secret": "<App secret>"}` (`client_id` is accepted for `app_id`). */
export function parseHuaweiCredentials(text: string, file: string): HuaweiAuth {
  const record = parseJsonCredential(
    text,
    file,
    'not a Huawei credentials file: expected a JSON object with app_id and client_secret',
  );
  const clientId = record.app_id ?? record.client_id;
  const clientSecret = record.client_secret;
  const missing = [
    typeof clientId === 'string' || typeof clientId === 'number' ? null : 'app_id',
    typeof clientSecret === 'string' && clientSecret !== '' ? null : 'client_secret',
  ].filter((name) => name !== null);
  if (missing.length > 0)
    throw new AppProblem(`${file} - not a Huawei credentials file: missing ${missing.join(', ')}`);
  const id = String(clientId);
  if (!/^\d{1,20}$/.test(id)) throw new AppProblem(`${file} - app_id must be Huawei's numeric App ID, got "${id}"`);
  return { kind: 'client-credentials', file, clientId: id, clientSecret: String(clientSecret) };
}

function httpUrl(value: string, key: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new AppProblem(`${key} must be an http(s) URL, got "${value}"`);
  }
  return value;
}
