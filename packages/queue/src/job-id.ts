// Job ids double as idempotency keys (DECISIONS 9): only a true retry of the same request is one job.
import * as crypto from 'node:crypto';
import type { PushRequest } from '@pushwire/core';

/**
 * JSON with object keys sorted at every level, so two requests that differ only in key order (or in how a
 * caller happened to build its dict) hash alike, and two that differ in any value never do.
 */
export function canonicalJson(value: unknown): string {
  // Plain loops and string appends: this runs for every accepted push (the array/entries version allocated
  // a dozen arrays and closures per request). The text is the same, byte for byte: job ids must not change.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort: UTF-16 code unit order, as the `<` comparison before.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** Node's one-shot hash (20.12+), else a Hash object: the same digest. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function digest(value: unknown): string {
  const text = canonicalJson(value);
  const hex = oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return hex.slice(0, 40);
}

/**
 * v1 key = every field of the validated request (all of them reach the push or choose its target): a request
 * that differs in badge, silent, content, media type... is a new push, as Sylk sends it. Hashed because BullMQ
 * ids may not contain ':' (SIP Call-IDs can) nor be integers; the call-id stays readable as the job *name*.
 */
export function v1JobId(request: PushRequest): string {
  return `v1-${digest(request)}`;
}

/**
 * v2 key = account, stored device and the whole validated push body. The device's token is left out on
 * purpose: the same request retried after the device re-registered is still the same request.
 */
export function v2JobId(key: { account: string; appId: string; deviceId: string; push: object }): string {
  return `v2-${digest({ account: key.account, appId: key.appId, deviceId: key.deviceId, push: key.push })}`;
}
