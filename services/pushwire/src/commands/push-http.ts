// What Sylk's client scripts do with python-requests: one JSON request with a 5 s timeout, and reading the answer
// with Python's indexing rules (only a missing key is tolerated; any other surprise is their "connection error").

/** `requests.post(url, timeout=5, json=...)`: seconds before the scripts give up. */
export const CLIENT_TIMEOUT_MS = 5000;

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Pushwire's additions to what Sylk's scripts send (they send neither). */
export interface SendOptions {
  /** A caller key (`PUSHWIRE_API_KEY`), sent as a bearer token. */
  apiKey?: string;
  /** `--idempotency-key`: sent as the `Idempotency-Key` header, so a repeat is answered without a second push. */
  idempotencyKey?: string;
  /** Default {@link CLIENT_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** Sends `body` as JSON (`Content-Type: application/json`, as requests' `json=`); throws on any transport failure. */
export async function sendJson(
  method: 'POST' | 'DELETE',
  url: string,
  body: unknown,
  options: SendOptions = {},
): Promise<HttpAnswer> {
  const { apiKey, idempotencyKey, timeoutMs = CLIENT_TIMEOUT_MS } = options;
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, text: await res.text() };
}

/** Python's KeyError: the only failure the scripts catch while reading an answer. */
export class PyKeyError extends Error {}

/** `value[key]` with Python's rules: dict by key (KeyError), list by integer index, anything else a TypeError. */
export function pyIndex(value: unknown, key: string | number): unknown {
  if (Array.isArray(value)) {
    if (typeof key !== 'number') throw new TypeError('list indices must be integers or slices, not str');
    const item = value[key < 0 ? value.length + key : key];
    if (item === undefined) throw new RangeError('list index out of range');
    return item;
  }
  if (typeof value === 'object' && value !== null) {
    if (typeof key !== 'string' || !Object.hasOwn(value, key)) throw new PyKeyError(String(key));
    return (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') {
    if (typeof key !== 'number') throw new TypeError('string indices must be integers');
    const ch = value[key < 0 ? value.length + key : key];
    if (ch === undefined) throw new RangeError('string index out of range');
    return ch;
  }
  throw new TypeError(`'${value === null ? 'NoneType' : typeof value}' object is not subscriptable`);
}

/** `value[k1][k2]…`. */
export function pyPath(value: unknown, ...keys: Array<string | number>): unknown {
  return keys.reduce<unknown>((v, k) => pyIndex(v, k), value);
}

/** `for x in value`: a list's items, a dict's keys, a string's characters. */
export function pyIter(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (typeof value === 'object' && value !== null) return Object.keys(value);
  throw new TypeError(`'${value === null ? 'NoneType' : typeof value}' object is not iterable`);
}

/** Python's `x == 1` for a JSON value (True == 1 and 1.0 == 1 in Python). */
export function pyEqualsOne(value: unknown): boolean {
  return value === 1 || value === true;
}

/** `re.sub(r'^"|"$', '', s)`: one leading and one trailing quote (Python's `$` also matches before a final newline). */
export function stripOuterQuotes(value: string): string {
  return value.replace(/^"|"(?=\n?$)/g, '');
}

/** `s.strip('"')`: every leading and trailing quote. */
export function stripQuotes(value: string): string {
  return value.replace(/^"+|"+$/g, '');
}

/** Sylk's clients' media-type mapping: anything containing "video" is video, else containing "audio" is audio. */
export function clientMediaType(value: string): string {
  if (value.includes('video')) return 'video';
  if (value.includes('audio')) return 'audio';
  return value;
}
