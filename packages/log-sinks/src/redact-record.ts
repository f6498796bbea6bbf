// Strips credentials from a sink record before it is queued or sent: Sylk sent the APNs JWT, the FCM
// OAuth token or the legacy server key to every log server (reference §7.2). Defence in depth: header
// names, secret-named fields, service-account objects, and secret-looking text anywhere in the record.
import { REDACTED, redactSecrets } from '@pushwire/logging';
import type { SinkPayload } from './sink-payload.js';

/** Header names whose value is a credential, whatever their case. */
const SECRET_HEADER = /authori[sz]ation|api[-_]?key|secret|token|cookie|password/i;

/** Field names `redactSecrets` does not know but a service account or an OAuth reply carries. */
const EXTRA_SECRET_FIELDS = new Set(['private_key_id', 'client_secret', 'refresh_token', 'id_token', 'access_token']);

/** Deeper than any push record goes; anything below is dropped rather than left unchecked. */
const MAX_DEPTH = 16;

const SECRET_JSON_FIELD = '(?:private_key(?:_id)?|client_secret|refresh_token|access_token|id_token)';

const TEXT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM blocks (private keys, certificates), also when cut off before the END line.
  [/-----BEGIN [^-\r\n]*-----[\s\S]*?(?:-----END [^-\r\n]*-----|$)/g, REDACTED],
  // `Bearer <anything>`: APNs provider JWTs, Google OAuth access tokens.
  [/\b(bearer)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // `key=<legacy FCM server key>`, and any `…key=` query or header parameter.
  [/(key=)[^\s"',;&]+/gi, `$1${REDACTED}`],
  // Bare JWS/JWT compact tokens (`eyJ` is base64url of `{"`).
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED],
  // Google OAuth 2 access tokens.
  [/\bya29\.[\w.-]+/g, REDACTED],
  // Service-account and OAuth fields in JSON text that did not parse: plain, then escaped inside a string.
  [new RegExp(`("${SECRET_JSON_FIELD}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g'), `$1"${REDACTED}"`],
  [new RegExp(`(\\\\"${SECRET_JSON_FIELD}\\\\"\\s*:\\s*)\\\\"(?:[^\\\\]|\\\\[^"])*\\\\"`, 'g'), `$1\\"${REDACTED}\\"`],
];

/** Replaces every secret-looking run of text; idempotent. */
export function scrubSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** A redacted deep copy of a sink record; the input is not modified. */
export function redactSinkPayload(payload: SinkPayload): SinkPayload {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload.request.outgoing_headers)) {
    headers[name] = SECRET_HEADER.test(name) ? REDACTED : scrubSecretText(String(value));
  }
  const incoming = redactValue(payload.request.incoming_body);
  return {
    request: {
      incoming_body:
        incoming !== null && typeof incoming === 'object' && !Array.isArray(incoming)
          ? (incoming as Record<string, unknown>)
          : {},
      outgoing_headers: headers,
      outgoing_body: redactJsonText(String(payload.request.outgoing_body), 0),
    },
    response: {
      code: payload.response.code,
      description: scrubSecretText(String(payload.response.description)),
      push_url: scrubSecretText(String(payload.response.push_url)),
    },
    server_ip: scrubSecretText(String(payload.server_ip)),
    timestamp: String(payload.timestamp),
  };
}

/** Any JSON-like value: secret-named fields and service accounts go, every string is scrubbed. */
export function redactValue(value: unknown): unknown {
  return redactAt(value, 0);
}

function redactAt(value: unknown, depth: number): unknown {
  return scrubStrings(dropSecrets(redactSecrets(value), depth), depth);
}

/**
 * JSON text (the outgoing body, or a JSON document inside a string field): redacted structurally, and the
 * caller's exact text kept when nothing needed redacting (sinks see the body as it was sent).
 */
function redactJsonText(text: string, depth: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return scrubSecretText(text);
  }
  if (parsed === null || typeof parsed !== 'object') return scrubSecretText(text);
  const redacted = redactAt(parsed, depth + 1);
  if (typeof redacted === 'string') return redacted;
  return JSON.stringify(redacted) === JSON.stringify(parsed) ? scrubSecretText(text) : JSON.stringify(redacted);
}

function isServiceAccount(value: Record<string, unknown>): boolean {
  return value.type === 'service_account' || 'private_key' in value || 'client_secret' in value;
}

function dropSecrets(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => dropSecrets(v, depth + 1));
  const record = value as Record<string, unknown>;
  if (isServiceAccount(record)) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k] = EXTRA_SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : dropSecrets(v, depth + 1);
  }
  return out;
}

function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return /^\s*[[{]/.test(value) ? redactJsonText(value, depth) : scrubSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubStrings(v, depth + 1);
  return out;
}
