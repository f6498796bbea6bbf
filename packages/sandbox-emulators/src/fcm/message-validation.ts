// Checks a `messages:send` body as FCM does: first the proto3 JSON parse (unknown names, wrong types,
// the `target` oneof), then FCM's own rules (a recipient, reserved data keys, TTL range, 4096 bytes).
import { badRequestDetail, fcmErrorDetail, rpcError, type FieldViolation, type RpcErrorBody } from './google-errors.js';
import {
  protoNameOf,
  SEND_REQUEST_SCHEMA,
  TARGET_FIELDS,
  type FieldSpec,
  type MessageSchema,
} from './message-schema.js';

/** FCM's payload limit for a message to a token (https://firebase.google.com/docs/cloud-messaging/concept-options). */
export const MAX_PAYLOAD_BYTES = 4096;
/** Longest Android TTL: 4 weeks. */
const MAX_TTL_S = 2_419_200;
const DURATION = /^(-?)(\d+)(\.\d{1,9})?s$/;
const GENERIC_INVALID = 'Request contains an invalid argument.';

export type SendValidation =
  | { ok: true; message: Record<string, unknown>; validateOnly: boolean }
  | { ok: false; body: RpcErrorBody };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How the proto3 JSON parser quotes a value it cannot take. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return 'Starting an array on a scalar field';
  if (isObject(value)) return 'Starting an object on a scalar field';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function invalidValue(path: string, type: string, value: unknown): FieldViolation {
  return { field: path, description: `Invalid value at '${path}' (${type}), ${literal(value)}` };
}

function checkField(key: string, spec: FieldSpec, value: unknown, path: string, out: FieldViolation[]): void {
  // Proto3 JSON takes null as "field not set" for every singular field.
  if (value === null) return;
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') out.push(invalidValue(path, 'TYPE_STRING', value));
      return;
    case 'bool':
      if (typeof value !== 'boolean') out.push(invalidValue(path, 'TYPE_BOOL', value));
      return;
    case 'int':
      if (
        !(typeof value === 'number' && Number.isInteger(value)) &&
        !(typeof value === 'string' && /^-?\d+$/.test(value))
      ) {
        out.push(invalidValue(path, 'TYPE_INT32', value));
      }
      return;
    case 'duration': {
      const type = 'type.googleapis.com/google.protobuf.Duration';
      if (typeof value !== 'string') out.push(invalidValue(path, type, value));
      else if (!value.endsWith('s')) {
        out.push({
          field: path,
          description: `Invalid value at '${path}' (${type}), Field '${key}', Illegal duration format; duration must end with 's'`,
        });
      } else if (!DURATION.test(value)) {
        out.push({
          field: path,
          description: `Invalid value at '${path}' (${type}), Field '${key}', Invalid duration format, failed to parse seconds`,
        });
      }
      return;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value))
        out.push(invalidValue(path, `type.googleapis.com/${spec.type}`, value));
      return;
    case 'strings':
      if (!Array.isArray(value)) out.push(invalidValue(path, 'TYPE_STRING', value));
      else
        value.forEach((v, i) => {
          if (typeof v !== 'string') out.push(invalidValue(`${path}[${i}]`, 'TYPE_STRING', v));
        });
      return;
    case 'struct':
      if (!isObject(value)) out.push(invalidValue(path, 'type.googleapis.com/google.protobuf.Struct', value));
      return;
    case 'map':
      if (!isObject(value)) {
        out.push(invalidValue(path, `type.googleapis.com/${spec.type}`, value));
        return;
      }
      // FCM's example: "Invalid value at 'message.data[0].value' (TYPE_STRING), 12"; null is no string either.
      Object.values(value).forEach((v, i) => {
        if (typeof v !== 'string') out.push(invalidValue(`${path}[${i}].value`, 'TYPE_STRING', v));
      });
      return;
    case 'message':
      if (!isObject(value)) out.push(invalidValue(path, `type.googleapis.com/${spec.schema.type}`, value));
      else walk(value, spec.schema, path, out);
      return;
    case 'any':
      return;
  }
}

function walk(value: Json, schema: MessageSchema, path: string, out: FieldViolation[]): void {
  for (const [key, child] of Object.entries(value)) {
    const name = protoNameOf(schema, key);
    const spec = name === null ? undefined : schema.fields[name];
    if (spec === undefined) {
      const at = path === '' ? '' : ` at '${path}'`;
      const violation: FieldViolation = {
        description: `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}${at}: Cannot find field.`,
      };
      if (path !== '') violation.field = path;
      out.push(violation);
      continue;
    }
    checkField(key, spec, child, path === '' ? key : `${path}.${key}`, out);
  }
}

function parseError(violations: FieldViolation[]): SendValidation {
  const message = violations.map((v) => v.description).join('\n');
  return { ok: false, body: rpcError(400, message, [badRequestDetail(violations)]) };
}

function fcmInvalid(message: string, violations: FieldViolation[] = []): SendValidation {
  const details: unknown[] = violations.length > 0 ? [badRequestDetail(violations)] : [];
  details.push(fcmErrorDetail('INVALID_ARGUMENT'));
  return { ok: false, body: rpcError(400, message, details) };
}

function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Keys and values of the data maps plus the notification texts: what FCM counts against 4096 bytes. */
function payloadBytes(message: Json): number {
  let total = 0;
  const addMap = (m: unknown): void => {
    if (!isObject(m)) return;
    for (const [k, v] of Object.entries(m)) total += utf8(k) + (typeof v === 'string' ? utf8(v) : 0);
  };
  addMap(message.data);
  addMap(message.notification);
  const android = message.android;
  if (isObject(android)) {
    addMap(android.data);
    addMap(android.notification);
  }
  return total;
}

/** Data keys FCM keeps for itself (https://firebase.google.com/docs/cloud-messaging/error-codes, "Invalid data key"). */
function isReservedDataKey(key: string): boolean {
  return key === 'from' || key === 'gcm' || key === 'message_type' || key.startsWith('google');
}

function durationSeconds(value: string): number {
  const m = DURATION.exec(value);
  if (m === null) return NaN;
  const seconds = Number(m[2]) + Number(m[3] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

export function validateSendRequest(json: unknown): SendValidation {
  if (!isObject(json))
    return parseError([
      { description: 'Invalid JSON payload received. Unknown name "": Root element must be a message.' },
    ]);
  const violations: FieldViolation[] = [];
  walk(json, SEND_REQUEST_SCHEMA, '', violations);
  const message = isObject(json.message) ? json.message : {};
  const targets = TARGET_FIELDS.filter((t) => message[t] !== undefined && message[t] !== null);
  if (targets.length > 1) {
    violations.push({
      field: 'message',
      description: `Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set '${targets[1]}'`,
    });
  }
  if (violations.length > 0) return parseError(violations);

  // bloomberg.github.io/pushiko/fcm_responses: "Missing registration token".
  const target = targets[0];
  if (target === undefined || message[target] === '') {
    return fcmInvalid('Recipient of the message is not set.', [
      { field: 'message', description: 'Recipient of the message is not set.' },
    ]);
  }
  const dataMaps = [message.data, isObject(message.android) ? message.android.data : undefined];
  for (const data of dataMaps) {
    if (!isObject(data)) continue;
    const reserved = Object.keys(data).find(isReservedDataKey);
    if (reserved !== undefined)
      return fcmInvalid(GENERIC_INVALID, [
        { field: 'message.data', description: `Invalid data payload key: ${reserved}` },
      ]);
  }
  const ttl = isObject(message.android) ? message.android.ttl : undefined;
  if (typeof ttl === 'string') {
    const seconds = durationSeconds(ttl);
    if (!(seconds >= 0 && seconds <= MAX_TTL_S)) {
      return fcmInvalid(GENERIC_INVALID, [
        { field: 'message.android.ttl', description: `TTL must be between 0s and ${MAX_TTL_S}s` },
      ]);
    }
  }
  // The pushiko capture of "Payload too large" carries no details at all.
  if (payloadBytes(message) > MAX_PAYLOAD_BYTES) return { ok: false, body: rpcError(400, GENERIC_INVALID) };
  return { ok: true, message, validateOnly: json.validate_only === true || json.validateOnly === true };
}
