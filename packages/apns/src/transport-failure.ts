// Describes a failed HTTP/2 exchange (no APNs answer) in words, and says whether it is safe to resend.
import { UNTRUSTED_CERTIFICATE_REASON, UNTRUSTED_TLS_CODES } from '@pushwire/core';

/** A send that got no answer from APNs. */
export interface TransportFailure {
  /** Reported as the result's `reason` (with code 500, as Sylk reports its connection errors). */
  reason: string;
  /**
   * True when the request provably never reached APNs (the session was shutting down, or the server
   * refused the stream unprocessed), so resending it cannot deliver twice.
   */
  refused: boolean;
  /** True when Node refused to build the request (a header name or value HTTP/2 cannot carry): resending cannot help. */
  invalid?: boolean;
}

export { UNTRUSTED_CERTIFICATE_REASON };

/** Node's errors for a request that was never put on the wire because the session was going away. */
const NOT_SENT_CODES = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION']);

/** Node's errors for headers it will not put on the wire. */
const INVALID_REQUEST_CODES = new Set([
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_HTTP2_HEADER_SINGLE_VALUE',
  'ERR_HTTP2_INVALID_CONNECTION_HEADERS',
  'ERR_HTTP2_INVALID_PSEUDOHEADER',
]);

/** RST_STREAM / GOAWAY error code REFUSED_STREAM (RFC 9113 §7): the server did not process the stream. */
export const REFUSED_STREAM = 0x7;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function describeTransportError(error: unknown): TransportFailure {
  const code = codeOf(error);
  const message = messageOf(error);
  if (code !== undefined && UNTRUSTED_TLS_CODES.has(code))
    return { reason: UNTRUSTED_CERTIFICATE_REASON, refused: false };
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return { reason: `The connection to APNs was closing (GOAWAY): ${message}`, refused: true };
  }
  if (code !== undefined && INVALID_REQUEST_CODES.has(code)) {
    // Sylk's words for a request its HTTP client would not send.
    return { reason: `Bad type of object in headers or payload: ${message}`, refused: false, invalid: true };
  }
  if (code === 'ERR_HTTP2_STREAM_ERROR' && message.includes('NGHTTP2_REFUSED_STREAM')) {
    return { reason: `APNs refused the stream: ${message}`, refused: true };
  }
  if (code?.startsWith('ERR_SSL_')) {
    // OpenSSL's own text is a multi-line dump of library internals: the code alone says more.
    const what = code.includes('CERTIFICATE_REQUIRED')
      ? 'APNs asked for a client certificate and got none'
      : 'The TLS handshake with APNs failed';
    return { reason: `${what} (${code})`, refused: false };
  }
  const text = message.replace(/\s+/g, ' ').trim() || code || 'unknown error';
  return { reason: code !== undefined && !text.includes(code) ? `${text} (${code})` : text, refused: false };
}

/** A stream that closed without a complete answer (connection dropped, reset by the server). */
export function streamClosedFailure(rstCode: number | undefined): TransportFailure {
  if (rstCode === REFUSED_STREAM) return { reason: 'APNs refused the stream (REFUSED_STREAM)', refused: true };
  const detail = rstCode === undefined || rstCode === 0 ? '' : ` (HTTP/2 error code ${rstCode})`;
  return { reason: `The connection to APNs closed before an answer${detail}`, refused: false };
}
