import { describe, expect, it } from 'vitest';
import { fcmErrorCodeOf, mapFcmResponse } from './map-fcm-response.js';
import { encodingFromContentType } from './response-body.js';

const URL = 'https://fcm.googleapis.com/v1/projects/p/messages:send';
const fcmError = (code: number, status: string, message: string, errorCode?: string): unknown => ({
  error: {
    code,
    message,
    status,
    ...(errorCode === undefined
      ? {}
      : { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] }),
  },
});

describe('mapFcmResponse', () => {
  it("reports a delivery with Sylk's requests-shaped body", () => {
    const json = { name: 'projects/p/messages/0:1%ab' };
    expect(mapFcmResponse(200, 'OK', json, URL, undefined, { encoding: 'UTF-8' })).toEqual({
      kind: 'delivered',
      response: {
        code: 200,
        reason: 'OK',
        url: URL,
        body: { _content: json, _content_consumed: true, status_code: 200, url: URL, encoding: 'UTF-8', reason: 'OK' },
      },
    });
  });

  it('drops falsy keys from the body (no encoding, no reason phrase)', () => {
    const outcome = mapFcmResponse(200, '', {}, URL);
    expect(outcome.response.body).toEqual({ _content_consumed: true, status_code: 200, url: URL, reason: 'OK' });
    expect(outcome.response.reason).toBe('OK');
  });

  it('treats a legacy per-message error in a 200 as a dead token (410, reason = the error)', () => {
    const json = { multicast_id: 1, success: 0, failure: 1, canonical_ids: 0, results: [{ error: 'NotRegistered' }] };
    const outcome = mapFcmResponse(200, 'OK', json, URL);
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response).toMatchObject({ code: 410, reason: 'NotRegistered' });
    expect(mapFcmResponse(200, 'OK', { success: 1, failure: 0, results: [{ message_id: 'x' }] }, URL).kind).toBe(
      'delivered',
    );
  });

  it('maps UNREGISTERED (error.code 404) to a dead token, 410, "<phrase> <message>"', () => {
    const outcome = mapFcmResponse(
      404,
      'Not Found',
      fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'),
      URL,
    );
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response.code).toBe(410);
    expect(outcome.response.reason).toBe('Not Found Requested entity was not found.');
    expect(outcome.response.body).toMatchObject({ status_code: 404, reason: 'Not Found' });
  });

  it('maps 400 "not a valid FCM registration token" to a dead token, other 400s to a refusal', () => {
    const invalid = mapFcmResponse(
      400,
      'Bad Request',
      fcmError(
        400,
        'INVALID_ARGUMENT',
        'The registration token is not a valid FCM registration token',
        'INVALID_ARGUMENT',
      ),
      URL,
    );
    expect(invalid.kind).toBe('dead-token');
    expect(invalid.response).toMatchObject({
      code: 410,
      reason: 'Bad Request The registration token is not a valid FCM registration token',
    });
    const badField = mapFcmResponse(
      400,
      'Bad Request',
      fcmError(400, 'INVALID_ARGUMENT', "Invalid value at 'message.data[0].value' (TYPE_STRING), 12"),
      URL,
    );
    expect(badField.kind).toBe('rejected');
    expect(badField.response.code).toBe(400);
  });

  it('retries 429 and 5xx, with retry-after in seconds or as a date', () => {
    const now = Date.UTC(2025, 0, 1, 0, 0, 0);
    const quota = mapFcmResponse(
      429,
      'Too Many Requests',
      fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', 'QUOTA_EXCEEDED'),
      URL,
      '30',
      { now },
    );
    expect(quota).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 30_000,
      response: { code: 429, reason: 'Too Many Requests Quota exceeded.' },
    });
    const dated = mapFcmResponse(
      503,
      'Service Unavailable',
      fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
      URL,
      'Wed, 01 Jan 2025 00:00:12 GMT',
      { now },
    );
    expect(dated).toMatchObject({ kind: 'retryable', retryAfterMs: 12_000 });
    const internal = mapFcmResponse(
      500,
      'Internal Server Error',
      fcmError(500, 'INTERNAL', 'Internal error encountered.'),
      URL,
    );
    expect(internal.kind).toBe('retryable');
    expect('retryAfterMs' in internal).toBe(false);
    expect(mapFcmResponse(503, '', {}, URL, 'soon').kind).toBe('retryable');
  });

  it('refuses 401, 403 and other statuses without retrying', () => {
    expect(
      mapFcmResponse(
        401,
        'Unauthorized',
        fcmError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
        URL,
      ),
    ).toMatchObject({
      kind: 'rejected',
      response: { code: 401, reason: 'Unauthorized Request had invalid authentication credentials.' },
    });
    expect(
      mapFcmResponse(
        403,
        'Forbidden',
        fcmError(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH'),
        URL,
      ).kind,
    ).toBe('rejected');
  });

  it('never throws on a non-JSON answer: its text (an HTML title) becomes the reason', () => {
    const html =
      '<HTML>\n<HEAD>\n<TITLE>INVALID_KEY</TITLE>\n</HEAD>\n<BODY><H1>INVALID_KEY</H1><H2>Error 401</H2></BODY></HTML>';
    const legacy = mapFcmResponse(401, 'INVALID_KEY', html, URL, undefined, { encoding: 'UTF-8' });
    expect(legacy).toMatchObject({ kind: 'rejected', response: { code: 401, reason: 'INVALID_KEY' } });
    expect(legacy.response.body).toMatchObject({ _content: html, encoding: 'UTF-8' });
    const gateway = mapFcmResponse(502, 'Bad Gateway', '<html><title>Error 502 (Server Error)!!1</title></html>', URL);
    expect(gateway).toMatchObject({
      kind: 'retryable',
      response: { code: 502, reason: 'Bad Gateway Error 502 (Server Error)!!1' },
    });
    expect(mapFcmResponse(404, 'Not Found', 'no such page', URL)).toMatchObject({
      kind: 'rejected',
      response: { code: 404, reason: 'Not Found no such page' },
    });
  });

  it('uses the standard reason phrase when the answer has none', () => {
    expect(
      mapFcmResponse(404, '', fcmError(404, 'NOT_FOUND', 'Requested entity was not found.'), URL).response.reason,
    ).toBe('Not Found Requested entity was not found.');
  });
});

describe('fcmErrorCodeOf', () => {
  it('reads the FcmError detail', () => {
    expect(fcmErrorCodeOf(fcmError(429, 'RESOURCE_EXHAUSTED', 'x', 'QUOTA_EXCEEDED'))).toBe('QUOTA_EXCEEDED');
    expect(fcmErrorCodeOf(fcmError(400, 'INVALID_ARGUMENT', 'x'))).toBeNull();
    expect(fcmErrorCodeOf('text')).toBeNull();
  });
});

describe('encodingFromContentType', () => {
  it('reads the charset as python-requests does', () => {
    expect(encodingFromContentType('application/json; charset=UTF-8')).toBe('UTF-8');
    expect(encodingFromContentType('text/html; charset="utf-8"')).toBe('utf-8');
    expect(encodingFromContentType('application/json')).toBe('utf-8');
    expect(encodingFromContentType('text/plain')).toBe('ISO-8859-1');
    expect(encodingFromContentType('application/octet-stream')).toBeNull();
    expect(encodingFromContentType(undefined)).toBeNull();
  });
});
