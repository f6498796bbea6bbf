import { describe, expect, it } from 'vitest';
import { mapApnsResponse } from './map-apns-response.js';

const URL = 'https://api.push.apple.com/3/device/abc';

describe('mapApnsResponse', () => {
  it('200: delivered, empty body and reason', () => {
    expect(mapApnsResponse(200, {}, URL)).toEqual({
      kind: 'delivered',
      response: { code: 200, reason: '', body: {}, url: URL },
    });
  });

  it('410: dead token, code 410, Apple body kept, reason described', () => {
    const body = { reason: 'Unregistered', timestamp: 1700000000000 };
    expect(mapApnsResponse(410, body, URL)).toEqual({
      kind: 'dead-token',
      response: {
        code: 410,
        reason: 'Unregistered - The device token is inactive for the specified topic.',
        body,
        url: URL,
      },
    });
  });

  it('410 with a reason outside the table: dead token, bare reason', () => {
    const outcome = mapApnsResponse(410, { reason: 'ExpiredToken' }, URL);
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response.reason).toBe('ExpiredToken');
  });

  it('400 BadDeviceToken: dead token reported as 410, as Sylk maps it', () => {
    const outcome = mapApnsResponse(400, { reason: 'BadDeviceToken' }, URL);
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response.code).toBe(410);
    expect(outcome.response.reason).toMatch(/^BadDeviceToken - The specified device token was bad\./);
    expect(outcome.response.body).toEqual({ reason: 'BadDeviceToken' });
  });

  it('other 400s, 403, 404, 405, 413: rejected with their own code', () => {
    for (const [status, reason] of [
      [400, 'BadTopic'],
      [400, 'BadExpirationDate'],
      [403, 'InvalidProviderToken'],
      [404, 'BadPath'],
      [405, 'MethodNotAllowed'],
      [413, 'PayloadTooLarge'],
    ] as const) {
      const outcome = mapApnsResponse(status, { reason }, URL);
      expect(outcome.kind, reason).toBe('rejected');
      expect(outcome.response.code).toBe(status);
      expect(outcome.response.reason.startsWith(`${reason} - `)).toBe(true);
    }
  });

  it('5xx: retryable, code kept', () => {
    for (const [status, reason] of [
      [500, 'InternalServerError'],
      [503, 'ServiceUnavailable'],
      [503, 'Shutdown'],
    ] as const) {
      const outcome = mapApnsResponse(status, { reason }, URL);
      expect(outcome).toMatchObject({ kind: 'retryable', response: { code: status } });
      expect(outcome.response.reason.startsWith(`${reason} - `)).toBe(true);
    }
  });

  it('429: retryable, with retryAfterMs from retry-after seconds', () => {
    const outcome = mapApnsResponse(429, { reason: 'TooManyRequests' }, URL, '7');
    expect(outcome).toEqual({
      kind: 'retryable',
      retryAfterMs: 7000,
      response: {
        code: 429,
        reason: 'TooManyRequests - Too many requests were made consecutively to the same device token.',
        body: { reason: 'TooManyRequests' },
        url: URL,
      },
    });
  });

  it('429 without retry-after: retryable, no retryAfterMs', () => {
    const outcome = mapApnsResponse(429, { reason: 'TooManyRequests' }, URL);
    expect(outcome.kind).toBe('retryable');
    expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it('a non-JSON answer (a proxy page): body {}, reason from the text', () => {
    const outcome = mapApnsResponse(502, '<html>\n<body>Bad   gateway</body></html>', URL);
    expect(outcome).toEqual({
      kind: 'retryable',
      response: { code: 502, reason: '<html> <body>Bad gateway</body></html>', body: {}, url: URL },
    });
  });

  it('an error without any reason: "HTTP <status>"', () => {
    expect(mapApnsResponse(400, {}, URL).response.reason).toBe('HTTP 400');
    expect(mapApnsResponse(500, '', URL).response.reason).toBe('HTTP 500');
  });
});
