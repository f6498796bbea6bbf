// How a push Pushwire builds is compared with the one Sylk sent: the two documented differences made explicit.
import { expect } from 'vitest';

/** Python's `datetime.now().strftime('%Y-%m-%d %H:%M:%S')`: Linphone's `send-time` is the send moment, any value of this form. */
export const SEND_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Replaces every `send-time` (after checking its form) so payloads built at different moments compare equal. */
export function withoutSendTime(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSendTime);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'send-time') {
      expect(v, 'send-time').toMatch(SEND_TIME);
      out[key] = '<send-time>';
    } else {
      out[key] = withoutSendTime(v);
    }
  }
  return out;
}

/**
 * docs/decisions/0003-deliberate-differences.md: FCM HTTP v1 `data` is a map of strings. Applied to Sylk's recorded `data`: `null` values are
 * dropped, strings stay, anything else is sent JSON-encoded (compared by value after decoding, since the
 * encoding's whitespace is not part of the contract).
 */
export function expectFcmDataAsSylkStringified(pushwire: unknown, sylk: Record<string, unknown>): void {
  expect(typeof pushwire === 'object' && pushwire !== null && !Array.isArray(pushwire), 'data is an object').toBe(true);
  const data = pushwire as Record<string, unknown>;
  const kept = Object.entries(sylk).filter(([, v]) => v !== null);
  expect(Object.keys(data).sort()).toEqual(kept.map(([k]) => k).sort());
  for (const [key, sylkValue] of kept) {
    const value = data[key];
    expect(typeof value, `data.${key} is a string`).toBe('string');
    if (typeof sylkValue === 'string') expect(value, `data.${key}`).toBe(sylkValue);
    else expect(JSON.parse(value as string), `data.${key} (JSON-encoded)`).toEqual(sylkValue);
  }
}

/**
 * Compares an FCM body: the v1 envelope (`{"message": …}`) with its `data` under the stringify rule above,
 * everything else (the legacy `/fcm/send` body included, which Pushwire sends as Sylk does) value for value.
 */
export function expectFcmBodyAsSylk(pushwire: unknown, sylk: unknown): void {
  const sylkMessage = (sylk as { message?: Record<string, unknown> }).message;
  if (sylkMessage === undefined) {
    expect(withoutSendTime(pushwire)).toEqual(withoutSendTime(sylk));
    return;
  }
  const message = (pushwire as { message?: Record<string, unknown> }).message;
  expect(message, 'the v1 envelope').toBeDefined();
  const { data: sylkData, ...sylkRest } = sylkMessage;
  const { data, ...rest } = message!;
  expect(withoutSendTime(rest)).toEqual(withoutSendTime(sylkRest));
  expectFcmDataAsSylkStringified(withoutSendTime(data), withoutSendTime(sylkData) as Record<string, unknown>);
}

/** Header names lower-cased (HTTP/1.1 keeps Sylk's `Content-Type`; HTTP/2 lower-cases), `authorization` left out. */
export function headersWithoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') out[name.toLowerCase()] = value;
  }
  return out;
}
