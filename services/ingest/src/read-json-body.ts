// Reads a request body as JSON the way Sylk's FastAPI 0.52 does: content type is not checked, an empty
// body is "no body", anything unparsable is Sylk's 400 `There was an error parsing the body`.
import type { Context } from 'hono';
import { bodyParseError, bodyTooLarge } from './sylk-responses.js';

/** Marker for an empty body (Sylk then reports a validation error, which we answer with 400). */
export const EMPTY_BODY = Symbol('empty body');

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
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bodyParseError();
  }
}
