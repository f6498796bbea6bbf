// One HTTP/2 request and its complete answer over the APNs agent, never throwing, bounded by a signal.
import { errorMessage } from '@pushwire/core';
import {
  constants,
  type ClientHttp2Stream,
  type Http2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from 'node:http2';
import type { Agent } from 'http2-wrapper';
import { describeTransportError, streamClosedFailure, type TransportFailure } from './transport-failure.js';

/** APNs error bodies are tiny JSON objects; anything past this is not worth holding. */
const MAX_BODY_BYTES = 64 * 1024;

export interface Http2Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (cut at 64 KiB). */
  text: string;
}

export type ExchangeResult = { kind: 'answer'; answer: Http2Answer } | { kind: 'failure'; failure: TransportFailure };

export interface ExchangeRequest {
  agent: Agent;
  /** Better a URL object made once: the Agent parses a string on every request. */
  origin: string | URL;
  /** The same object on every call: the Agent pools sessions by these values. */
  tls: SecureClientSessionOptions;
  /** Including `:method` and `:path`. */
  headers: OutgoingHttpHeaders;
  body: string;
  /** Aborting ends the exchange with a failure whose reason is the abort reason's message. */
  signal: AbortSignal;
  /** Called when the exchange was aborted while its request sat unanswered on this session. */
  onUnanswered?: (session: Http2Session) => void;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return errorMessage(reason);
}

function cancel(stream: ClientHttp2Stream): void {
  if (!stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
}

export function exchange(request: ExchangeRequest): Promise<ExchangeResult> {
  const { agent, origin, tls, headers, body, signal, onUnanswered } = request;
  return new Promise<ExchangeResult>((resolve) => {
    let settled = false;
    let stream: ClientHttp2Stream | undefined;
    let answered = false;

    const finish = (result: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (failure: TransportFailure): void => finish({ kind: 'failure', failure });
    function onAbort(): void {
      if (stream !== undefined) {
        const session = stream.session;
        cancel(stream);
        if (!answered && session !== undefined) onUnanswered?.(session);
      }
      fail({ reason: abortReason(signal), refused: false });
    }

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    agent.request(origin, tls, headers).then(
      (opened) => {
        // Errors after we settled (a late reset) must still have a listener, or they would crash the process.
        opened.on('error', (error: Error) => fail(describeTransportError(error)));
        if (settled) {
          // The session came up after the deadline: the body was never sent, so APNs cannot act on it.
          cancel(opened);
          return;
        }
        stream = opened;
        opened.on('response', (responseHeaders: IncomingHttpHeaders) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          opened.on('data', (chunk: Buffer) => {
            if (size >= MAX_BODY_BYTES) return;
            chunks.push(chunk);
            size += chunk.length;
          });
          opened.on('end', () => {
            const text = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
            finish({
              kind: 'answer',
              answer: { status: Number(responseHeaders[':status']), headers: responseHeaders, text },
            });
          });
        });
        // 'end' precedes 'close' for a complete answer; a close without it means the answer never came.
        opened.on('close', () => fail(streamClosedFailure(opened.rstCode)));
        opened.end(body);
      },
      (error: unknown) => fail(describeTransportError(error)),
    );
  });
}
