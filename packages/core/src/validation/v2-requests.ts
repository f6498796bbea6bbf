// Sylk's v2 request models (AddRequest, RemoveRequest, PushRequest) with the same messages as v1.
import type { Platform } from '../platform.js';
import type { AppRulesLookup } from './app-type-rules.js';
import { assertJsonObject, fieldTableOf, str, validateFieldTable, type TableField } from './field-table.js';
import { AddTokenRequestSchema, RemoveTokenRequestSchema, V2PushRequestSchema } from './v2-schemas.js';
import { pyTruthy } from './python-format.js';
import { assertNoControlCharacters } from './control-characters.js';
import { checkAppAndPlatform, rawField } from './root-checks.js';
import { PushValidationError } from './validation-error.js';

export interface AddTokenRequest {
  appId: string;
  platform: Platform;
  token: string;
  deviceId: string;
  silent: boolean;
  userAgent: string | null;
}

export interface RemoveTokenRequest {
  appId: string;
  deviceId: string | null;
}

/** The push fields of a v2 push; merged with each stored device, then validated as a v1 request. */
export interface V2PushFields {
  event: string | null;
  callId: string;
  from: string;
  fromDisplayName: string | null;
  to: string;
  mediaType: string | null;
  reason: string | null;
  badge: number;
  filename: string | null;
  filetype: string | null;
  account: string | null;
  content: string | null;
  contentType: string | null;
}

// Read off the request schemas (v2-schemas.ts), in their order. `app-id` and `platform` of an add are checked
// before the table, by the app lookup (v2 words an unknown platform differently).
const ADD_FIELDS: readonly TableField[] = fieldTableOf(AddTokenRequestSchema).filter(
  (f) => f.key !== 'app-id' && f.key !== 'platform',
);
const REMOVE_FIELDS: readonly TableField[] = fieldTableOf(RemoveTokenRequestSchema);
const PUSH_FIELDS: readonly TableField[] = fieldTableOf(V2PushRequestSchema);

/** POST /v2/tokens/{account}: app and platform checked first (v2 words the unknown platform differently). */
export function validateAddTokenRequest(body: unknown, lookupApp: AppRulesLookup): AddTokenRequest {
  const raw = assertJsonObject(body);
  const { appId, platform, rules } = checkAppAndPlatform(
    raw,
    lookupApp,
    (p) => `The '${p}' platform is not configured`,
  );
  const values = validateFieldTable(raw, ADD_FIELDS);
  assertNoControlCharacters('device-id', str(values, 'device-id'));
  const tokenProblem = rules.checkToken?.(str(values, 'token')!) ?? null;
  if (tokenProblem !== null) throw new PushValidationError(tokenProblem, 'token');
  return {
    appId,
    platform,
    token: str(values, 'token')!,
    deviceId: str(values, 'device-id')!,
    silent: values.get('silent') !== false,
    userAgent: str(values, 'user-agent'),
  };
}

export function validateRemoveTokenRequest(body: unknown): RemoveTokenRequest {
  const raw = assertJsonObject(body);
  // Sylk's RemoveRequest root validator (`if not values.get('app-id')`) runs before any field error.
  if (!pyTruthy(rawField(raw, 'app-id'))) throw new PushValidationError("Field 'app-id' required");
  const values = validateFieldTable(raw, REMOVE_FIELDS);
  assertNoControlCharacters('device-id', str(values, 'device-id'));
  return { appId: str(values, 'app-id')!, deviceId: str(values, 'device-id') };
}

export function validateV2PushFields(body: unknown): V2PushFields {
  const values = validateFieldTable(assertJsonObject(body), PUSH_FIELDS);
  assertNoControlCharacters('call-id', str(values, 'call-id'));
  const badge = values.get('badge');
  return {
    event: str(values, 'event'),
    callId: str(values, 'call-id')!,
    from: str(values, 'from')!,
    fromDisplayName: str(values, 'from-display-name'),
    to: str(values, 'to')!,
    mediaType: str(values, 'media-type'),
    reason: str(values, 'reason'),
    badge: typeof badge === 'number' ? badge : 1,
    filename: str(values, 'filename'),
    filetype: str(values, 'filetype'),
    account: str(values, 'account'),
    content: str(values, 'content'),
    contentType: str(values, 'content-type'),
  };
}
