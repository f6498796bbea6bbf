// Which fields never reach a log line, a log sink or the queue board, whatever their nesting.

/**
 * Header and field names whose values are secrets, compared case-insensitively (`isSecretKey`); the
 * spellings used in this code base are listed as written.
 */
export const SECRET_KEYS: readonly string[] = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'keyPem',
  'certPem',
  'private_key',
  'privateKey',
  'key',
  'password',
  'jwt',
  'access_token',
  'assertion',
  'firebase_authorization_key',
  'serviceAccount',
  'client_secret',
  'clientSecret',
];

const SECRET_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

export const REDACTED = '[redacted]';

/** Whether a field of this name holds a secret (any letter case). */
export function isSecretKey(name: string): boolean {
  return SECRET_SET.has(name.toLowerCase());
}

/** A deep copy with every secret-named field replaced, for data that leaves the process (sinks, board). */
export function redactSecrets<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : walk(v, depth + 1);
  }
  return out;
}
