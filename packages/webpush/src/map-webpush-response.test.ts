import { describe, expect, it } from 'vitest';
import { failedWebPush, mapWebPushResponse, refusedWebPush, webPushReasonLabel } from './map-webpush-response.js';

const URL_ = 'https://fcm.googleapis.com/fcm/send/abc';

describe('mapWebPushResponse: one row per push service answer', () => {
  it.each([
    [201, 'delivered', 200, 'ok'],
    [200, 'delivered', 200, 'ok'],
    [202, 'delivered', 200, 'ok'],
    [404, 'dead-token', 410, 'NotFound'],
    [410, 'dead-token', 410, 'Gone'],
    [413, 'rejected', 413, 'PayloadTooLarge'],
    [400, 'rejected', 400, 'BadRequest'],
    [401, 'rejected', 401, 'Unauthorized'],
    [403, 'rejected', 403, 'Forbidden'],
    [429, 'retryable', 429, 'TooManyRequests'],
    [500, 'retryable', 500, 'ServerError'],
    [502, 'retryable', 502, 'ServerError'],
    [503, 'retryable', 503, 'ServerError'],
    [418, 'rejected', 418, 'other'],
  ])('%i → %s, Sylk code %i, label %s', (status, kind, code, label) => {
    const outcome = mapWebPushResponse({ status, text: '' }, URL_);
    expect(outcome.kind).toBe(kind);
    expect(outcome.response.code).toBe(code);
    expect(outcome.response.url).toBe(URL_);
    expect(webPushReasonLabel(outcome)).toBe(label);
  });

  it('keeps Retry-After on a 429 and a 503', () => {
    expect(mapWebPushResponse({ status: 429, text: '', retryAfterMs: 3000 }, URL_)).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 3000,
    });
    expect(mapWebPushResponse({ status: 503, text: '', retryAfterMs: 1000 }, URL_)).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 1000,
    });
  });

  it("reports the service's JSON error as data, and text as text", () => {
    const mozilla = '{"code":410,"errno":106,"error":"Gone","message":"Request did not validate"}';
    expect(mapWebPushResponse({ status: 410, text: mozilla }, URL_).response).toEqual({
      code: 410,
      reason: '410 Gone: the subscription is gone (unsubscribed or expired)',
      body: { status_code: 410, content: JSON.parse(mozilla) },
      url: URL_,
    });
    expect(mapWebPushResponse({ status: 400, text: 'bad' }, URL_).response.body).toEqual({
      status_code: 400,
      content: 'bad',
    });
  });

  it("no answer is retryable (Sylk's 500, empty body); a push refused before sending is a 400 rejection", () => {
    const failed = failedWebPush(URL_, 'Web Push connection error: ECONNREFUSED');
    expect(failed).toEqual({
      kind: 'retryable',
      response: { code: 500, reason: 'Web Push connection error: ECONNREFUSED', body: {}, url: URL_ },
    });
    expect(webPushReasonLabel(failed)).toBe('no-answer');
    const refused = refusedWebPush('', 'invalid Web Push subscription: x');
    expect(refused.kind).toBe('rejected');
    expect(webPushReasonLabel(refused)).toBe('refused');
  });
});
