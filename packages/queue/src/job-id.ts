// Push job ids: unique per request, or derived from an Idempotency-Key's record; and the canonical form of a
// request that tells whether a repeat under one key is the same request.
import * as crypto from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two requests that differ only in key order (or in how a
 * caller happened to build its dict) hash alike, and two that differ in any value never do.
 */
export function canonicalJson(value: unknown): string {
  // Plain loops and string appends: this runs for every accepted push (the array/entries version allocated
  // a dozen arrays and closures per request). The text is the same, byte for byte: fingerprints stored under
  // an Idempotency-Key must not change across a release.
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
  return requestFingerprint(value).slice(0, 40);
}

/** The two APIs' job id prefixes (the board shows which API accepted a push). */
export type JobApi = 'v1' | 'v2';

/**
 * A job id of its own for a push sent without an Idempotency-Key: every accepted request is a new push, as
 * Sylk sends it. Random, so BullMQ never merges two requests; the call-id stays readable as the job *name*.
 */
export function uniqueJobId(api: JobApi): string {
  return `${api}-${crypto.randomBytes(20).toString('hex')}`;
}

/**
 * The job id of a push sent with an Idempotency-Key: derived from the key's record (its `nonce`) and, for a
 * v2 fan-out, the device. A request that takes over an abandoned acceptance of the same key makes the same ids,
 * so BullMQ keeps one job even if the first attempt's jobs did reach Redis.
 */
export function keyedJobId(api: JobApi, nonce: string, part = ''): string {
  return `${api}-${digest({ nonce, part })}`;
}

/** SHA-256 (hex) of the canonical JSON: what makes two requests "the same" under one Idempotency-Key. */
export function requestFingerprint(value: unknown): string {
  const text = canonicalJson(value);
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
