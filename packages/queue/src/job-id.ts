// Job ids double as idempotency keys (DECISIONS 9): only a true retry of the same request is one job.
import { createHash } from 'node:crypto';
import type { PushRequest } from '@pushwire/core';

/**
 * JSON with object keys sorted at every level, so two requests that differ only in key order (or in how a
 * caller happened to build its dict) hash alike, and two that differ in any value never do.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 40);
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
