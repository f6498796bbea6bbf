// Reads a request body as JSON the way Sylk's FastAPI 0.52 does: content type is not checked, an empty
// body is "no body", anything unparsable is Sylk's 400 `There was an error parsing the body`.
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
  const raw = c.req.raw.body;
  if (!raw) return EMPTY_BODY;
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
  if (size === 0) return EMPTY_BODY;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw bodyParseError();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw bodyParseError();
  }
  if (nestingDepth(text) > MAX_JSON_NESTING) throw bodyParseError();
  return parsed;
}

/** Deepest `[`/`{` nesting of valid JSON text (brackets inside strings do not count). */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}
