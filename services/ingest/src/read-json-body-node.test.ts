// The body as ingest reads it from a real Node server (the request stream itself, no web Request): the same
// answers as the web path for whole, chunked, empty, oversized, non-UTF-8 and too deeply nested bodies.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { HttpError } from '@pushwire/core';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_BODY, MAX_JSON_NESTING, readJsonBody } from './read-json-body.js';

const MAX_BYTES = 4096;
let server: ServerType;
let port = 0;
/** Bodies the route has read, in order. */
const seen: unknown[] = [];

beforeAll(async () => {
  const app = new Hono();
  app.post('/read', async (c) => {
    const body = await readJsonBody(c, MAX_BYTES);
    seen.push(body === EMPTY_BODY ? 'EMPTY' : body);
    return c.json({ body: body === EMPTY_BODY ? 'EMPTY' : body });
  });
  app.onError((error, c) =>
    error instanceof HttpError
      ? c.json(error.body as object, error.status as ContentfulStatusCode)
      : c.json({ error: String(error) }, 500),
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs `parts` (chunked when there are several and no length is declared); status 0 = connection dropped. */
function post(
  parts: (string | Buffer)[],
  declareLength = parts.length <= 1,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve) => {
    const whole = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/read',
        headers: {
          'content-type': 'application/json',
          ...(declareLength ? { 'content-length': String(whole.length) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }),
        );
        res.on('error', () => resolve({ status: 0, json: null }));
      },
    );
    req.on('error', () => resolve({ status: 0, json: null }));
    const write = (i: number) => {
      if (i >= parts.length) return void req.end();
      // One chunk per turn, so the server sees them as separate reads.
      req.write(parts[i]!, () => setImmediate(() => write(i + 1)));
    };
    write(0);
  });
}

const parseError = { status: 400, json: { detail: 'There was an error parsing the body' } };

describe('readJsonBody on a Node server', () => {
  it('reads a whole body, and one sent in chunks', async () => {
    expect(await post(['{"a":1,"b":"é"}'])).toEqual({ status: 200, json: { body: { a: 1, b: 'é' } } });
    // A multi-byte character split across chunks is still decoded whole.
    const e = Buffer.from('"é"}');
    expect(await post(['{"x":', e.subarray(0, 2), e.subarray(2)], false)).toEqual({
      status: 200,
      json: { body: { x: 'é' } },
    });
  });

  it('answers an empty body as no body', async () => {
    expect(await post([''])).toEqual({ status: 200, json: { body: 'EMPTY' } });
  });

  it('answers 413 for a declared length over the limit, and for a chunked body as it passes the limit', async () => {
    const tooLarge = {
      status: 413,
      json: { code: 413, description: `request body larger than ${MAX_BYTES} bytes`, data: { max_bytes: MAX_BYTES } },
    };
    expect(await post([`"${'x'.repeat(MAX_BYTES)}"`])).toEqual(tooLarge);
    const before = seen.length;
    // Chunked: refused once past the limit; the rest is drained after the answer (a small excess like this one).
    expect(
      await post(
        Array.from({ length: 50 }, () => 'x'.repeat(100)),
        false,
      ),
    ).toEqual(tooLarge);
    expect(seen.length).toBe(before);
  });

  it('answers Sylk parse errors for bad UTF-8, bad JSON and nesting past the limit, short or long', async () => {
    expect(await post([Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])])).toEqual(parseError);
    expect(await post(['{"a":'])).toEqual(parseError);
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    // One level past the limit: the shortest text that can be too deep, scanned.
    expect(await post([nested(MAX_JSON_NESTING + 1)])).toEqual(parseError);
    // At the limit: too short to be scanned, and not too deep.
    expect(await post([nested(MAX_JSON_NESTING)])).toMatchObject({ status: 200 });
    // Long but shallow: scanned, and accepted.
    expect(await post([`[${' '.repeat(3000)}[]]`])).toEqual({ status: 200, json: { body: [[]] } });
  });
});
