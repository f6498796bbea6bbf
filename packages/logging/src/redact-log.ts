// Redaction of log lines at pino's formatter step: a secret-named field at any depth and in any letter case
// becomes "[redacted]"; a line without one (nearly every line) passes through untouched, without a copy.
import { isSecretKey, REDACTED } from './redact.js';

/**
 * How deep a logged value is searched. Logged values are shallow (headers, an error with its config); past
 * this depth nothing is searched, as past the depth `redactSecrets` copies.
 */
const MAX_DEPTH = 20;

/** `value` itself when no secret-named field is in it, else a copy with those fields replaced (errors stay errors). */
export function redactLogFields<T>(value: T): T {
  return holdsSecret(value, 0) ? (copyRedacted(value, 0) as T) : value;
}

function searchable(value: unknown, depth: number): value is object {
  // Byte arrays have thousands of index keys and no names.
  return depth <= MAX_DEPTH && value !== null && typeof value === 'object' && !ArrayBuffer.isView(value);
}

function holdsSecret(value: unknown, depth: number): boolean {
  if (!searchable(value, depth)) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsSecret(item, depth + 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (isSecretKey(key) || holdsSecret(record[key], depth + 1)) return true;
  }
  return false;
}

function copyRedacted(value: unknown, depth: number): unknown {
  // Parts without a secret are shared, not copied.
  if (!holdsSecret(value, depth)) return value;
  if (Array.isArray(value)) return value.map((item) => copyRedacted(item, depth + 1));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = value instanceof Error ? errorShell(value) : {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    out[key] = isSecretKey(key) ? REDACTED : copyRedacted(record[key], depth + 1);
  }
  return out;
}

/** An error of the same class with the same message, stack and cause, for pino's error serializer. */
function errorShell(error: Error): Record<string, unknown> {
  const shell = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  for (const name of ['name', 'message', 'stack', 'cause'] as const) {
    const own = Object.getOwnPropertyDescriptor(error, name);
    if (!own || own.enumerable) continue;
    // A cause is logged too (pino serialises it): it may carry secrets of its own.
    Object.defineProperty(
      shell,
      name,
      name === 'cause' && 'value' in own ? { ...own, value: copyRedacted(own.value, 1) } : own,
    );
  }
  return shell;
}
