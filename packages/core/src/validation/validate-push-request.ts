// Turns a parsed v1 `/push` body into a PushRequest, or throws the error Sylk would answer with.
import { isPushEvent, MEDIA_TYPES, type MediaType } from '../events.js';
import type { PushRequest } from '../push-request.js';
import type { AppRulesLookup } from './app-type-rules.js';
import { coerceField } from './field-table.js';
import { MISSING_ERROR, type Coerced } from './pydantic-coerce.js';
import { assertNoControlCharacters } from './control-characters.js';
import { checkRoot, rawField, type JsonObject } from './root-checks.js';
import { PushValidationError } from './validation-error.js';
import { WAKE_UP_FIELDS, type WakeUpField, type WakeUpKey } from './wake-up-fields.js';

export const EVENT_MESSAGE =
  "event must be 'incoming_session', 'incoming_conference_request', 'cancel' or 'message', 'transfer'";

type FieldValue = string | boolean | number | null;

/**
 * Validates a parsed JSON body as Sylk's `WakeUpRequest`: request-level checks first (app-id, platform,
 * app lookup, per-app items, media-type, Linphone event), then the fields in declaration order with
 * pydantic v1's coercions; the first failure is thrown as a {@link PushValidationError}.
 *
 * @param body the parsed JSON body; anything but an object is a 400 (Sylk crashes with a 500).
 * @param lookupApp the rules of the configured app `(app-id, platform)`, `undefined` when not configured.
 */
export function validatePushRequest(body: unknown, lookupApp: AppRulesLookup): PushRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PushValidationError('request body must be a JSON object');
  }
  const raw = body as JsonObject;
  const root = checkRoot(raw, lookupApp);

  const values = new Map<WakeUpKey, FieldValue>();
  for (const field of WAKE_UP_FIELDS) {
    const input = field.key === 'event' ? root.event : rawField(raw, field.key);
    const result = validateField(field, input);
    if (!result.ok) throw new PushValidationError(result.message, field.key);
    values.set(field.key, result.value);
  }

  const str = (key: WakeUpKey): string | null => {
    const value = values.get(key);
    return typeof value === 'string' ? value : null;
  };
  const required = (key: WakeUpKey): string => {
    const value = str(key);
    if (value === null) throw new Error(`validated field ${key} is not a string`);
    return value;
  };
  const event = str('event');
  // Sylk lets an app type without the event rule (a custom one) through with no event; Pushwire's payloads
  // and request ids need one, so that case is refused as pydantic would refuse a required field.
  if (event === null || !isPushEvent(event)) throw new PushValidationError(MISSING_ERROR, 'event');
  assertNoControlCharacters('call-id', required('call-id'));
  assertNoControlCharacters('device-id', str('device-id'));

  const tokenProblem = root.rules.checkToken?.(required('token')) ?? null;
  if (tokenProblem !== null) throw new PushValidationError(tokenProblem, 'token');

  return {
    appId: required('app-id'),
    platform: root.platform,
    event,
    token: required('token'),
    callId: required('call-id'),
    from: required('from'),
    to: required('to'),
    deviceId: str('device-id'),
    fromDisplayName: str('from-display-name'),
    mediaType: asMediaType(str('media-type')),
    silent: values.get('silent') !== false,
    reason: str('reason'),
    badge: numberOr(values.get('badge'), 1),
    filename: str('filename'),
    filetype: str('filetype'),
    account: str('account'),
    content: str('content'),
    contentType: str('content-type'),
  };
}

function validateField(field: WakeUpField, input: unknown): Coerced<FieldValue> {
  if (field.key !== 'event') return coerceField(field.kind, input);
  // Sylk's event validator also runs on an explicit null and rejects any value outside the event list.
  if (input === null) return { ok: false, message: EVENT_MESSAGE };
  const result = coerceField(field.kind, input);
  if (result.ok && typeof result.value === 'string' && !isPushEvent(result.value))
    return { ok: false, message: EVENT_MESSAGE };
  return result;
}

/**
 * Only a cancel skips Sylk's media-type check, and its payloads never carry the media type: an unknown
 * value there (e.g. `"bogus"` or `""`) is accepted and kept as `null`.
 */
function asMediaType(value: string | null): MediaType | null {
  return value !== null && (MEDIA_TYPES as readonly string[]).includes(value) ? (value as MediaType) : null;
}

function numberOr(value: FieldValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
