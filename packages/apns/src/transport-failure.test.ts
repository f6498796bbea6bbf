import { describe, expect, it } from 'vitest';
import { UNTRUSTED_CERTIFICATE_REASON, describeTransportError, streamClosedFailure } from './transport-failure.js';

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeTransportError', () => {
  it('untrusted chains on either side get Sylk sentence', () => {
    for (const code of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    ]) {
      expect(describeTransportError(nodeError(code, 'x'))).toEqual({
        reason: UNTRUSTED_CERTIFICATE_REASON,
        refused: false,
      });
    }
  });

  it('requests never sent because the session was going away are safe to resend', () => {
    expect(
      describeTransportError(
        nodeError('ERR_HTTP2_GOAWAY_SESSION', 'New streams cannot be created after receiving a GOAWAY'),
      ).refused,
    ).toBe(true);
    expect(
      describeTransportError(
        nodeError('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_REFUSED_STREAM'),
      ).refused,
    ).toBe(true);
    expect(
      describeTransportError(
        nodeError('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_INTERNAL_ERROR'),
      ).refused,
    ).toBe(false);
    expect(describeTransportError(nodeError('ECONNRESET', 'read ECONNRESET')).refused).toBe(false);
  });

  it('headers Node will not send are invalid, not retryable', () => {
    const failure = describeTransportError(
      nodeError('ERR_INVALID_HTTP_TOKEN', 'Header name must be a valid HTTP token ["a b"]'),
    );
    expect(failure).toEqual({
      reason: 'Bad type of object in headers or payload: Header name must be a valid HTTP token ["a b"]',
      refused: false,
      invalid: true,
    });
  });

  it('OpenSSL errors are named by their code, on one line', () => {
    const multiLine =
      '802CC4B2017F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:rec_layer_s3.c:1601:SSL alert number 116\n';
    expect(describeTransportError(nodeError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', multiLine)).reason).toBe(
      'APNs asked for a client certificate and got none (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)',
    );
    expect(describeTransportError(nodeError('ERR_SSL_WRONG_VERSION_NUMBER', multiLine)).reason).toBe(
      'The TLS handshake with APNs failed (ERR_SSL_WRONG_VERSION_NUMBER)',
    );
  });

  it('other errors keep their message, with the code when the message lacks it', () => {
    expect(describeTransportError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')).reason).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(describeTransportError(nodeError('CERT_HAS_EXPIRED', 'certificate has expired')).reason).toBe(
      'certificate has expired (CERT_HAS_EXPIRED)',
    );
    expect(describeTransportError('weird').reason).toBe('weird');
  });
});

describe('streamClosedFailure', () => {
  it('REFUSED_STREAM is safe to resend; anything else is not', () => {
    expect(streamClosedFailure(7).refused).toBe(true);
    expect(streamClosedFailure(0)).toEqual({
      reason: 'The connection to APNs closed before an answer',
      refused: false,
    });
    expect(streamClosedFailure(2).reason).toBe('The connection to APNs closed before an answer (HTTP/2 error code 2)');
  });
});
