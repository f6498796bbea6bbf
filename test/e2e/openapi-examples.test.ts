// Every example of the served /openapi.json, replayed against the real handlers: a whole stack (ingest and worker
// processes, strict emulators) for most, the in-process app for answers that need another configuration
// (access list, return_async = false, a small body limit, Redis down, shutting down). Each answer must have the
// documented status, validate against the documented schema and (unless it holds ids, times or ports) equal the
// documented example.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { LINPHONE_RULES, SYLK_RULES, type Platform } from '@pushwire/core';
import { isDeepStrictEqual as deepEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessList } from '../../services/ingest/src/access-list.js';
import { CallerPolicy } from '../../services/ingest/src/callers/caller-policy.js';
import { createTestIngest, type TestIngestOverrides } from '../../services/ingest/src/test-support/ingest-app.js';
import { WEB_PUSH_ORIGIN } from '../../services/ingest/src/openapi-webpush.js';
import { startStack, type Stack } from '../harness/index.js';

const USER = 'auditor';
const PASSWORD = 'openapi examples password';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const;

interface Example {
  summary?: string;
  value: unknown;
}
interface Media {
  schema: unknown;
  examples?: Record<string, Example>;
}
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; examples?: Record<string, { value: string }> }>;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media>; headers?: Record<string, unknown> }>;
}
interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, unknown> };
}

interface Case {
  id: string;
  path: string;
  method: string;
  operation: Operation;
  name: string;
  status: string;
  mediaType: string;
  answer: unknown;
}

/** A producer holding every push until released: a request meanwhile stays "being accepted" under its key. */
function heldProducer() {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (entered = resolve));
  const enqueue = async (): Promise<void> => {
    entered();
    await gate;
  };
  return { producer: { enqueue }, reached, release };
}
const held = heldProducer();

/** In-process variants, by `<operationId>/<example>`: the configuration each example's description names. */
const IN_PROCESS: Record<string, TestIngestOverrides> = {
  'pushV1/idempotency-in-flight': { returnAsync: false, producer: held.producer },
  'pushV1/accepted-async': { returnAsync: false },
  'pushV1/access-denied': { accessList: new AccessList(['192.0.2.0/24']) },
  'pushV1/too-large': { maxBodyBytes: 64 },
  'pushV1/redis-down': { redisUrl: 'redis://127.0.0.1:1' },
  'readyz/stopping': { accepting: () => false },
  'pushV1/key-required': {
    callers: new CallerPolicy({
      requireKey: true,
      trustedProxies: [],
      keys: [{ name: 'sylkserver', keySha256: 'a'.repeat(64), apps: null, rate: null }],
    }),
  },
};
/** What an in-process example's description says happens first (the same request, still being accepted). */
const IN_PROCESS_BEFORE: Record<
  string,
  (
    app: { request(path: string, init: RequestInit): Response | Promise<Response> },
    path: string,
    init: RequestInit,
  ) => Promise<() => Promise<void>>
> = {
  'pushV1/idempotency-in-flight': async (app, path, init) => {
    const first = app.request(path, init);
    await held.reached;
    return async () => {
      held.release();
      await first;
    };
  },
};
/** Answers that hold ids, times or sizes of this run: compared by shape (keys and value types), not by value. */
const SHAPE_ONLY = new Set(['pushV1/too-large', 'callHistory/delivered-call']);
/** Abridged examples (a page, a scrape, this document): the answer must contain `contains`. */
const ABRIDGED: Record<string, string> = {
  'openapi/document': '"openapi":"3.1.0"',
  'metrics/scrape': '# TYPE pushwire_http_requests_total counter',
  'adminBoard/board': '<title>Pushwire audit</title>',
};

const SANDBOX_RULES: Record<string, typeof SYLK_RULES> = {
  'com.pushwire.sandbox.sylk.dev/apple': SYLK_RULES,
  'com.pushwire.sandbox.sylk.dev/firebase': SYLK_RULES,
  'com.pushwire.sandbox.linphone.dev/apple': LINPHONE_RULES,
  'com.pushwire.sandbox.linphone.dev/firebase': LINPHONE_RULES,
};

let stack: Stack;
let doc: Document;
let ajv: Ajv2020;
beforeAll(async () => {
  stack = await startStack({
    env: { PUSHWIRE_METRICS_ON_MAIN_PORT: 'true', PUSHWIRE_ADMIN_USER: USER, PUSHWIRE_ADMIN_PASSWORD: PASSWORD },
  });
  const res = await fetch(`${stack.url}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Document;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; `#/components/schemas/X` resolves inside the document.
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'openapi.json', $defs: {}, components: doc.components }, 'openapi.json');
});
afterAll(async () => {
  await stack?.close();
});

function validator(schema: unknown): ValidateFunction {
  const rebased = JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'),
  ) as object;
  return ajv.compile(rebased);
}

function casesOf(document: Document): Case[] {
  const cases: Case[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          for (const [name, example] of Object.entries(media.examples ?? {})) {
            cases.push({
              id: `${operation.operationId}/${name}`,
              path,
              method,
              operation,
              name,
              status,
              mediaType,
              answer: example.value,
            });
          }
        }
      }
    }
  }
  return cases;
}

/** The request of one example: path parameters filled in, its body, a 405 example with a method the path lacks. */
function requestOf(c: Case): { path: string; init: RequestInit } {
  let path = c.path;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const p of c.operation.parameters ?? []) {
    const value = p.examples?.[c.name]?.value;
    if (p.in === 'header') {
      if (value !== undefined) headers[p.name] = value;
      continue;
    }
    if (value === undefined) throw new Error(`${c.id}: no example value for path parameter ${p.name}`);
    path = path.replace(`{${p.name}}`, encodeURIComponent(value));
  }
  const served = Object.keys(doc.paths[c.path] ?? {});
  const method = c.status === '405' ? ['put', 'patch'].find((m) => !served.includes(m))! : c.method;
  const body = c.operation.requestBody?.content['application/json']?.examples?.[c.name]?.value;
  // The admin login for the audit routes, except for the example of a missing login.
  const admin = c.operation.security?.some((r) => typeof r === 'object' && r !== null && 'adminBasic' in r) === true;
  if (admin && c.status !== '401') headers.authorization = AUTH;
  return {
    path,
    init: {
      method: method.toUpperCase(),
      headers,
      ...(body === undefined ? {} : { body: toEmulator(typeof body === 'string' ? body : JSON.stringify(body)) }),
    },
  };
}

/** The Web Push examples' subscriptions name a public push service; the sandbox's emulator stands in for it. */
function toEmulator(body: string): string {
  return body.replaceAll(`${WEB_PUSH_ORIGIN}/`, `${stack.sandbox.webpush.origin}/`);
}

/** Replaces what differs from run to run: push service origins (emulator ports), FCM message ids, Push Kit request ids. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/^https:\/\/[^/]+\//, 'https://<push-service>/')
      .replace(/"endpoint":"https:\/\/[^/"]+\//g, '"endpoint":"https://<push-service>/')
      .replace(/\/messages\/[^/]+$/, '/messages/<id>');
  }
  if (Array.isArray(value)) return value.map(normalise);
  // Push Kit's per-request id differs on every send.
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'requestId' ? '<id>' : normalise(v)]));
  return value;
}

async function register(account: string, exampleName: string): Promise<void> {
  const add = doc.paths['/v2/tokens/{account}']!.post!;
  const body = add.requestBody!.content['application/json']!.examples![exampleName]!.value;
  const res = await stack.post(`/v2/tokens/${encodeURIComponent(account)}`, body);
  expect(res.status, res.text).toBe(200);
}

async function untilHistorySettled(callId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${stack.url}/v1/calls/${encodeURIComponent(callId)}`, {
      headers: { authorization: AUTH },
    });
    const json = (await res.json()) as { pushes?: Array<{ result: unknown }> };
    if (res.status === 200 && json.pushes?.every((p) => p.result !== null)) return;
    if (Date.now() > deadline) throw new Error(`history of ${callId} did not settle`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Keys and value types, recursively (arrays by their first element). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? 'null' : typeof value;
}

/** State an example's description names ("after add-apple …"), made through the API itself. */
const SETUP: Record<string, () => Promise<void>> = {
  'removeToken/remove': () => register('carol@example.com', 'add-apple'),
  'removeToken/device-not-found': () => register('carol@example.com', 'add-android'),
  'pushToAccount/call-all-devices': async () => {
    await register('dave@example.com', 'add-apple');
    await register('dave@example.com', 'add-android');
  },
  'pushToDevice/cancel-one-device': () => register('erin@example.com', 'add-apple'),
  'pushToDevice/unknown-device': () => register('erin@example.com', 'add-apple'),
  'pushV1/idempotent-repeat': async () => {
    const { path, init } = requestOf(casesOf(doc).find((c) => c.id === 'pushV1/idempotent-repeat')!);
    expect((await fetch(`${stack.url}${path}`, init)).status).toBe(200);
  },
  'pushV1/idempotency-key-reused': async () => {
    const call = doc.paths['/push']!.post!.requestBody!.content['application/json']!.examples!['call-apple']!
      .value as object;
    const res = await stack.post('/push', call, {
      headers: { 'content-type': 'application/json', 'idempotency-key': '5f0c3a9e-call-32' },
    });
    expect(res.status, res.text).toBe(200);
  },
  'pushToAccount/idempotency-key-reused': async () => {
    await register('dave@example.com', 'add-apple');
    const call = doc.paths['/v2/tokens/{account}/push']!.post!.requestBody!.content['application/json']!.examples![
      'call-all-devices'
    ]!.value as object;
    const res = await stack.post('/v2/tokens/dave%40example.com/push', call, {
      headers: { 'content-type': 'application/json', 'idempotency-key': '5f0c3a9e-call-9' },
    });
    expect(res.status, res.text).toBe(200);
  },
  'callHistory/delivered-call': async () => {
    const call = doc.paths['/push']!.post!.requestBody!.content['application/json']!.examples!['call-apple']!
      .value as object;
    const res = await stack.post('/push', { ...call, 'call-id': 'call-21@example.com' });
    expect(res.status, res.text).toBe(200);
    await untilHistorySettled('call-21@example.com');
  },
};

async function send(c: Case): Promise<{ status: number; contentType: string; headers: Headers; body: unknown }> {
  const { path, init } = requestOf(c);
  const overrides = IN_PROCESS[c.id];
  let res: Response;
  if (overrides) {
    const lookupApp = (appId: string, platform: Platform) => SANDBOX_RULES[`${appId}/${platform}`];
    const ingest = await createTestIngest({ lookupApp, ...overrides });
    try {
      const after = await IN_PROCESS_BEFORE[c.id]?.(ingest.app, path, init);
      res = await ingest.app.request(path, init);
      await after?.();
    } finally {
      await ingest.close();
    }
  } else {
    await SETUP[c.id]?.();
    res = await fetch(`${stack.url}${path}`, init);
  }
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return {
    status: res.status,
    contentType,
    headers: res.headers,
    body: contentType.startsWith('application/json') ? (JSON.parse(text) as unknown) : text,
  };
}

describe('the OpenAPI document', () => {
  it('documents every route, each operation with examples, each example with its request', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/',
        '/admin',
        '/admin/readyz',
        '/healthz',
        '/metrics',
        '/openapi.json',
        '/push',
        '/readyz',
        '/v1/calls/{call-id}',
        '/v2/tokens/{account}',
        '/v2/tokens/{account}/push',
        '/v2/tokens/{account}/push/{device}',
      ].sort(),
    );
    const cases = casesOf(doc);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        expect(cases.filter((c) => c.operation === operation).length, `${method} ${path}`).toBeGreaterThan(0);
        // A request example names the answer it gets: no orphan request examples.
        for (const name of Object.keys(operation.requestBody?.content['application/json']?.examples ?? {})) {
          expect(
            cases.some((c) => c.operation === operation && c.name === name),
            `${operation.operationId}/${name}`,
          ).toBe(true);
        }
      }
    }
    for (const id of [...Object.keys(IN_PROCESS), ...Object.keys(SETUP), ...SHAPE_ONLY, ...Object.keys(ABRIDGED)]) {
      expect(
        cases.map((c) => c.id),
        id,
      ).toContain(id);
    }
  });

  it('documents examples that fit their own schemas (answers always; requests when they are accepted)', () => {
    for (const c of casesOf(doc)) {
      const media = c.operation.responses[c.status]!.content![c.mediaType]!;
      const check = validator(media.schema);
      expect(check(c.answer), `${c.id}: ${ajv.errorsText(check.errors)}`).toBe(true);
      const body = c.operation.requestBody?.content['application/json'];
      const request = body?.examples?.[c.name]?.value;
      if (body && request !== undefined && c.status.startsWith('2')) {
        const checkRequest = validator(body.schema);
        expect(checkRequest(request), `${c.id} request: ${ajv.errorsText(checkRequest.errors)}`).toBe(true);
      }
    }
  });
});

describe('every example replayed against the real handlers', () => {
  // Built from the document the server serves (fetched in beforeAll), so the cases are listed lazily.
  it('answers each example with its status, a valid body and (where stable) the documented answer', async () => {
    const failures: string[] = [];
    for (const c of casesOf(doc)) {
      const actual = await send(c);
      const media = c.operation.responses[c.status]!.content![c.mediaType]!;
      const check = validator(media.schema);
      if (String(actual.status) !== c.status)
        failures.push(`${c.id}: status ${actual.status}, documented ${c.status}: ${JSON.stringify(actual.body)}`);
      else if (!actual.contentType.startsWith(c.mediaType))
        failures.push(`${c.id}: content-type ${actual.contentType}, documented ${c.mediaType}`);
      else if (Object.keys(c.operation.responses[c.status]!.headers ?? {}).some((h) => !actual.headers.has(h))) {
        failures.push(
          `${c.id}: a documented header is missing: ${Object.keys(c.operation.responses[c.status]!.headers ?? {}).join(', ')}`,
        );
      } else if (!check(actual.body))
        failures.push(
          `${c.id}: answer does not fit the schema: ${ajv.errorsText(check.errors)}: ${JSON.stringify(actual.body)}`,
        );
      else {
        const contains = ABRIDGED[c.id];
        const text = typeof actual.body === 'string' ? actual.body : JSON.stringify(actual.body);
        const same =
          contains !== undefined
            ? text.includes(contains)
            : SHAPE_ONLY.has(c.id)
              ? deepEqual(shapeOf(actual.body), shapeOf(c.answer))
              : deepEqual(normalise(actual.body), normalise(c.answer));
        if (!same)
          failures.push(
            `${c.id}: answer differs from the example:\n  actual     ${text.slice(0, 2000)}\n  documented ${JSON.stringify(c.answer)}`,
          );
      }
    }
    expect(failures.join('\n')).toBe('');
  }, 180_000);
});
