// A copy of the configuration that is safe to log: every secret replaced by "[redacted]".
import { redactUrlSecrets } from './redact-url.js';
import type { PushwireConfig } from './types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const REDACTED = '[redacted]';

/** Fields whose value is secret (or bulky PEM) wherever they appear. */
const SECRET_FIELDS = new Set([
  'keyPem',
  'certPem',
  'caPem',
  'private_key',
  'secret',
  'keySha256',
  'clientSecret',
  'privateKey',
]);

/**
 * A JSON-safe copy of `config` for the start log: PEM texts, the service account's `private_key`, the
 * legacy FCM key, the password in `redisUrl` and the credentials in log sink URLs (`user:pass@`, `key=`)
 * become `"[redacted]"`. As a safety net, any other string holding a PEM block is redacted too.
 */
export function redactConfig(config: PushwireConfig): { [key: string]: JsonValue } {
  const copy = redactValue(config, null);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new TypeError('config must be an object');
  const pushwire = copy.pushwire;
  if (typeof pushwire === 'object' && pushwire !== null && !Array.isArray(pushwire)) {
    pushwire.redisUrl = redactUrlPassword(config.pushwire.redisUrl);
  }
  return copy;
}

function redactValue(value: unknown, parent: Record<string, unknown> | null, field?: string): JsonValue {
  if (field !== undefined && value !== null && value !== undefined) {
    if (SECRET_FIELDS.has(field)) return REDACTED;
    // The legacy FCM server key: `{ kind: 'legacy-key', key }`.
    if (field === 'key' && parent?.kind === 'legacy-key') return REDACTED;
    // Log sink URLs (`logRemote.urls`) may carry Basic-auth credentials or a key parameter.
    if (field === 'urls' && Array.isArray(value))
      return value.map((url) => (typeof url === 'string' ? redactUrlSecrets(url) : redactValue(url, null)));
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.includes('-----BEGIN') ? REDACTED : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, null));
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(record)) {
      if (typeof item !== 'function') out[key] = redactValue(item, record, key);
    }
    return out;
  }
  return String(value);
}

/** `redis://user:secret@host` → `redis://user:[redacted]@host`; other URLs unchanged. */
export function redactUrlPassword(url: string): string {
  // Sentinel and Cluster URLs list several hosts, which URL cannot parse: redact their userinfo by shape.
  const multiHost = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*?):([^@/]*)@/i.exec(url);
  if (multiHost && !URL.canParse(url))
    return `${multiHost[1]}${multiHost[2]}:${REDACTED}@${url.slice(multiHost[0].length)}`;
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password === '') return url;
  parsed.password = 'redacted';
  return parsed.toString().replace(':redacted@', `:${REDACTED}@`);
}
