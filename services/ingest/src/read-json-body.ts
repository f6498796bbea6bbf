// Reads a request body as JSON the way Sylk's FastAPI 0.52 does: content type is not checked, an empty
// body is "no body", anything unparsable is Sylk's 400 `There was an error parsing the body`.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { bodyParseError, bodyTooLarge } from './sylk-responses.js';

/** Marker for an empty body (Sylk then reports a validation error, which we answer with 400). */
export const EMPTY_BODY = Symbol('empty body');

/**
 * Deepest array/object nesting accepted. Sylk's Python parser gives up near its recursion limit (1000 levels)
 * and answers the parse error; deeper values would overflow recursive code here too (Python-style reprs in
 * validation messages, serialisers), turning a bad request into a 500.
 */
export const MAX_JSON_NESTING = 900;

export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  const incoming = nodeRequestOf(c);
  const bytes = incoming ? await readIncoming(incoming, maxBytes) : await readWebStream(c, maxBytes);
  if (bytes === null || bytes.byteLength === 0) return EMPTY_BODY;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw bodyParseError();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw bodyParseError();
  }
  // Valid JSON nested deeper than the limit holds more brackets than that on each side: a shorter text
  // cannot be, and is not scanned again (nearly every push).
  if (text.length >= 2 * (MAX_JSON_NESTING + 1) && nestingDepth(text) > MAX_JSON_NESTING) throw bodyParseError();
  return parsed;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The Node request under @hono/node-server (its `env.incoming`), if its body is still unread. Reading it
 * directly spares building a web `Request` and stream per push (the largest ingest cost in the bench
 * profile, test/bench/RESULTS.md); elsewhere (app.request() in tests, other runtimes) the web body is read.
 */
function nodeRequestOf(c: Context): IncomingMessage | null {
  const env = c.env as { incoming?: unknown } | undefined;
  const incoming = env?.incoming;
  if (!(incoming instanceof Readable) || incoming.readableDidRead || incoming.destroyed) return null;
  return incoming as IncomingMessage;
}

/**
 * The whole body, or 413 as soon as it passes `maxBytes`. The rest is left unread (paused): after the answer,
 * @hono/node-server drains a bounded amount and closes the connection past it, as for the web stream.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        incoming.pause();
        reject(bodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onError(error: Error): void {
      cleanup();
      reject(error);
    }
    function onClose(): void {
      if (incoming.readableEnded) {
        onEnd();
        return;
      }
      cleanup();
      reject(new Error('client closed the connection before the request body ended'));
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readWebStream(c: Context, maxBytes: number): Promise<Buffer | null> {
  const raw = c.req.raw.body;
  if (!raw) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = raw.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Deepest `[`/`{` nesting of valid JSON text (brackets inside strings do not count). */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}
