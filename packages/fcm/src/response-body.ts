// The `body` Sylk reports for an FCM answer: python-requests' Response.__dict__, flattened and pruned.
import { STATUS_CODES } from 'node:http';

/** Longest slice of a non-JSON answer kept in a reason (an HTML error page can be large). */
const MAX_TEXT_REASON = 200;

export interface ResponseBodyParts {
  /** Parsed JSON, or the text when the answer was not JSON. */
  content: unknown;
  status: number;
  url: string;
  encoding: string | null;
  reason: string;
}

/**
 * `{"_content", "_content_consumed": true, "status_code", "url", "encoding", "reason"}` with falsy
 * values removed, as Sylk's `pns/firebase.py` builds it (SylkServer reads `data.body._content`).
 */
export function responseBody(parts: ResponseBodyParts): Record<string, unknown> {
  const all: Record<string, unknown> = {
    _content: parts.content,
    _content_consumed: true,
    status_code: parts.status,
    url: parts.url,
    encoding: parts.encoding,
    reason: parts.reason,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => isTruthy(v)));
}

/** Python's truthiness for the values that can occur here. */
function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * requests' `get_encoding_from_headers`: the `charset` parameter as written; else `ISO-8859-1` for
 * `text/*` and `utf-8` for `application/json`; else none.
 */
export function encodingFromContentType(contentType: string | undefined): string | null {
  if (contentType === undefined || contentType === '') return null;
  const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim());
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'charset') {
      return param
        .slice(eq + 1)
        .trim()
        .replace(/^["']|["']$/g, '');
    }
  }
  const type = mediaType.toLowerCase();
  if (type.includes('text')) return 'ISO-8859-1';
  if (type.includes('application/json')) return 'utf-8';
  return null;
}

/** The HTTP reason phrase: the server's own, else the standard one (HTTP/2 carries none). */
export function reasonPhrase(status: number, statusText: string): string {
  return statusText !== '' ? statusText : (STATUS_CODES[status] ?? '');
}

/** A non-JSON answer in one short line: an HTML page's title, else its text without tags. */
export function condenseText(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return plain.length > MAX_TEXT_REASON ? `${plain.slice(0, MAX_TEXT_REASON)}…` : plain;
}
