// Checks a messages:send body as Push Kit does: the structure, one to 1000 tokens, a string `data`, the
// Android fields' types, the 4 KB data limit. Returns the result code to answer, or null when valid.
import { isRecord } from '@pushwire/core';
import { MAX_DATA_BYTES } from './result-codes.js';

const MESSAGE_KEYS = new Set(['data', 'notification', 'android', 'apns', 'webpush', 'token', 'topic', 'condition']);
const ANDROID_KEYS = new Set([
  'collapse_key',
  'urgency',
  'category',
  'ttl',
  'bi_tag',
  'fast_app_target',
  'data',
  'notification',
  'receipt_id',
]);
const TTL_RE = /^\d+(?:\.\d{1,9})?s$/;

export function checkSendBody(json: unknown): { code: string; detail: string } | null {
  const structure = (detail: string) => ({ code: '80100003', detail });
  if (!isRecord(json)) return structure('body is not a JSON object');
  for (const key of Object.keys(json))
    if (key !== 'validate_only' && key !== 'message') return structure(`unknown field ${key}`);
  if (json.validate_only !== undefined && typeof json.validate_only !== 'boolean')
    return structure('validate_only must be a boolean');
  const message = json.message;
  if (!isRecord(message)) return structure('message is missing');
  for (const key of Object.keys(message)) if (!MESSAGE_KEYS.has(key)) return structure(`unknown field message.${key}`);
  const tokens = message.token;
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > 1000)
    return { code: '80300010', detail: 'message.token must hold 1 to 1000 tokens' };
  if (!tokens.every((t) => typeof t === 'string' && t !== ''))
    return { code: '80100001', detail: 'tokens must be non-empty strings' };
  if (message.data !== undefined && typeof message.data !== 'string')
    return { code: '80100001', detail: 'message.data must be a string' };
  if (typeof message.data === 'string' && Buffer.byteLength(message.data) > MAX_DATA_BYTES)
    return { code: '80300008', detail: 'data over 4096 bytes' };
  if (message.data === undefined && message.notification === undefined)
    return structure('neither data nor notification');
  const android = message.android;
  if (android !== undefined) {
    if (!isRecord(android)) return structure('message.android must be an object');
    for (const key of Object.keys(android))
      if (!ANDROID_KEYS.has(key)) return structure(`unknown field message.android.${key}`);
    if (android.urgency !== undefined && android.urgency !== 'HIGH' && android.urgency !== 'NORMAL')
      return { code: '80100001', detail: 'urgency must be HIGH or NORMAL' };
    if (android.ttl !== undefined && (typeof android.ttl !== 'string' || !TTL_RE.test(android.ttl)))
      return { code: '80100001', detail: 'ttl must look like "60s"' };
  }
  return null;
}
