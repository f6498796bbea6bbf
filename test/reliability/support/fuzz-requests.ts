// fast-check generators of hostile requests for ingest: malformed and edge-case bodies, headers and paths.
import fc from 'fast-check';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Raw body bytes; null for none (always null for GET and HEAD). */
  body: Uint8Array<ArrayBuffer> | null;
}

export interface FuzzOptions {
  /** App ids the target knows: near-valid bodies use them, so validation reaches its deeper checks. */
  appIds: readonly string[];
  /** The target's body limit (bytes): huge strings are generated around it. */
  maxBodyBytes: number;
}

const PUSH_KEYS = [
  'app-id',
  'platform',
  'token',
  'device-id',
  'event',
  'call-id',
  'from',
  'from-display-name',
  'to',
  'media-type',
  'silent',
  'reason',
  'badge',
  'filename',
  'filetype',
  'account',
  'content',
  'content-type',
  'user-agent',
];
const PLATFORMS = ['apple', 'ios', 'apns', 'firebase', 'android', 'fcm', 'nokia', '', 'APPLE'];
const EVENTS = ['incoming_session', 'incoming_conference_request', 'cancel', 'message', 'transfer', 'call', ''];
const MEDIA_TYPES = ['audio', 'video', 'chat', 'sms', 'file-transfer', 'image', 'fax', ''];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  '',
];
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

/** Any code point (lone surrogates included), ASCII, or emoji-heavy text. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '👩‍👩‍👧‍👦',
    'é',
    'null',
    '0',
    'true',
    '-1',
    '1e309',
    '__proto__',
    'constructor',
  ),
);

/** Strings of a length around the body limit, so bodies land just under, at and over it. */
function hugeString(maxBodyBytes: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: maxBodyBytes - 600, max: maxBodyBytes + 100 }),
      fc.constantFrom('x', 'é', '€', '😀', '\\"'),
    )
    .map(([n, unit]) => unit.repeat(Math.max(0, Math.floor(n / bytes(unit).length))));
}

/** Every JSON type, with edge numbers, deep values and huge strings. */
function anyValue(o: FuzzOptions): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: text, weight: 4 },
    {
      arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53, 0.5, 1)),
      weight: 2,
    },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
    // Deeper nesting is generated as raw text (fuzzBody): JSON.stringify itself would overflow here.
    { arbitrary: fc.integer({ min: 1, max: 500 }).map((d) => nested(d)), weight: 1 },
    { arbitrary: hugeString(o.maxBodyBytes).map((s) => s.slice(0, Math.floor(s.length / 2))), weight: 1 },
  );
}

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A plausible push body: the right keys with valid, wrong-typed or missing values. */
function pushBody(o: FuzzOptions): fc.Arbitrary<Record<string, unknown>> {
  const valid = fc.record({
    'app-id': fc.constantFrom(...o.appIds),
    platform: fc.constantFrom(...PLATFORMS),
    token: fc.oneof(fc.constant('ab'.repeat(32)), fc.constant('fcm-fuzz'), text),
    event: fc.constantFrom(...EVENTS),
    'call-id': text,
    from: fc.constantFrom('alice@example.com', ''),
    to: fc.constantFrom('bob@example.com', ''),
    'media-type': fc.constantFrom(...MEDIA_TYPES),
    silent: fc.constantFrom(true, false, 1, 0, '1', 'yes', 'maybe'),
    badge: fc.constantFrom(1, '3', -1, 1.5, 'x'),
  });
  const mutation = fc.record({
    replace: fc.dictionary(fc.constantFrom(...PUSH_KEYS), anyValue(o), { maxKeys: 4 }),
    remove: fc.subarray(PUSH_KEYS, { maxLength: 3 }),
    extra: fc.dictionary(text, anyValue(o), { maxKeys: 2 }),
  });
  return fc.tuple(valid, mutation).map(([body, m]) => {
    const out: Record<string, unknown> = { ...body, ...m.replace };
    for (const key of m.remove) delete out[key];
    // defineProperty: a key named __proto__ must become a real key, not the prototype.
    for (const [key, value] of Object.entries(m.extra))
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/** A valid push whose free-text fields carry odd but legal strings, so it is accepted and enqueued. */
function strangeValidPush(o: FuzzOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    'app-id': fc.constantFrom(...o.appIds),
    platform: fc.constantFrom('apple', 'ios', 'firebase', 'android'),
    token: fc.constantFrom('ab'.repeat(32), 'cd'.repeat(40), 'fcm-fuzz'),
    event: fc.constantFrom('incoming_session', 'incoming_conference_request', 'cancel', 'message', 'transfer'),
    'call-id': text.filter((s) => s.length > 0),
    from: text.filter((s) => s.length > 0),
    'from-display-name': text,
    to: text.filter((s) => s.length > 0),
    'media-type': fc.constantFrom('audio', 'video', 'chat', 'sms'),
    silent: fc.boolean(),
    content: fc.oneof(
      text,
      hugeString(o.maxBodyBytes).map((s) => s.slice(0, Math.floor(s.length * 0.9))),
    ),
  });
}

/** Raw body bytes: JSON of every shape, broken JSON, invalid UTF-8, deep nesting, near-limit sizes. */
export function fuzzBody(o: FuzzOptions): fc.Arbitrary<Uint8Array<ArrayBuffer>> {
  const json = (value: unknown) => bytes(JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { arbitrary: pushBody(o).map(json), weight: 8 },
    { arbitrary: strangeValidPush(o).map(json), weight: 3 },
    { arbitrary: fc.jsonValue().map(json), weight: 2 },
    { arbitrary: fc.dictionary(fc.constantFrom(...PUSH_KEYS), anyValue(o)).map(json), weight: 2 },
    {
      arbitrary: hugeString(o.maxBodyBytes).map((s) => json({ 'app-id': o.appIds[0], platform: 'apple', content: s })),
      weight: 1,
    },
    // Nesting deep enough for any recursive parser or serialiser to overflow its stack.
    {
      arbitrary: fc
        .integer({ min: 100, max: Math.floor(o.maxBodyBytes / 2) - 1 })
        .map((d) => bytes('['.repeat(d) + ']'.repeat(d))),
      weight: 1,
    },
    {
      arbitrary: fc
        .integer({ min: 100, max: Math.floor(o.maxBodyBytes / 6) - 2 })
        .map((d) => bytes(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)),
      weight: 1,
    },
    // A push body whose field holds a value nested thousands deep.
    {
      arbitrary: fc
        .tuple(
          pushBody(o),
          fc.constantFrom(...PUSH_KEYS),
          fc.integer({ min: 1000, max: Math.floor(o.maxBodyBytes / 3) }),
        )
        .map(([body, key, d]) => {
          const rest = JSON.stringify({ ...body, [key]: 'DEEP' });
          return bytes(rest.replace('"DEEP"', '['.repeat(d) + ']'.repeat(d)));
        }),
      weight: 1,
    },
    { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 2 },
    // Valid JSON with an invalid UTF-8 sequence spliced into a string value.
    {
      arbitrary: fc
        .tuple(
          pushBody(o),
          fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]),
        )
        .map(([body, bad]) => {
          const raw = json({ ...body, from: 'MARK' });
          const at = indexOf(raw, bytes('MARK'));
          return at < 0 ? raw : new Uint8Array([...raw.subarray(0, at), ...bad, ...raw.subarray(at + 4)]);
        }),
      weight: 2,
    },
    {
      arbitrary: fc
        .constantFrom('', ' ', 'null', '[]', '"x"', '1', '{', '{"app-id":', '\u0000', '{}{}', '{"a":1,}')
        .map(bytes),
      weight: 1,
    },
  );
}

function indexOf(haystack: Uint8Array<ArrayBuffer>, needle: Uint8Array<ArrayBuffer>): number {
  return Buffer.from(haystack).indexOf(Buffer.from(needle));
}

/** A path segment: plain, percent-encoded, or with malformed escapes. */
const segment = fc.oneof(
  fc.constantFrom(
    'alice@example.com',
    'bob',
    'dev-1',
    'urn:uuid:0000',
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '..',
    '.',
    '%2F',
    'a%20b',
  ),
  text.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))),
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,30}$/),
);

export const fuzzPath: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '/push',
      '/push/',
      '/PUSH',
      '/push?x=1',
      '/push#frag',
      '//push',
      '/',
      '/openapi.json',
      '/readyz',
    ),
    weight: 4,
  },
  { arbitrary: segment.map((a) => `/v2/tokens/${a}`), weight: 2 },
  { arbitrary: segment.map((a) => `/v2/tokens/${a}/push`), weight: 2 },
  { arbitrary: fc.tuple(segment, segment).map(([a, d]) => `/v2/tokens/${a}/push/${d}`), weight: 2 },
  { arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`), weight: 1 },
);

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
  .filter((n) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(n));
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((v) => v.trim());

export function fuzzRequest(o: FuzzOptions): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof(
        { arbitrary: fc.constant('POST'), weight: 8 },
        { arbitrary: fc.constantFrom('DELETE', 'GET', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'), weight: 1 },
      ),
      path: fuzzPath,
      contentType: fc.option(fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue)),
      extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
      body: fuzzBody(o),
    })
    .map(({ method, path, contentType, extraHeaders, body }) => {
      const headers: Record<string, string> = { ...extraHeaders };
      if (contentType !== null) headers['content-type'] = contentType;
      return { method, path, headers, body: method === 'GET' || method === 'HEAD' ? null : body };
    });
}
