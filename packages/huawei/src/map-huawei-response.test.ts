import { describe, expect, it } from 'vitest';
import { huaweiReasonLabel } from './huawei-answer.js';
import { isAuthRefusal, mapHuaweiResponse } from './map-huawei-response.js';

const URL = 'https://push-api.cloud.huawei.com/v1/10000001/messages:send';
const answer = (code: string, msg: string) => ({ code, msg, requestId: '1690000000001' });

describe('mapHuaweiResponse', () => {
  it('80000000 is delivered (200)', () => {
    expect(mapHuaweiResponse({ status: 200, body: answer('80000000', 'Success') }, 'tok', URL)).toEqual({
      kind: 'delivered',
      response: { code: 200, reason: 'Success', body: answer('80000000', 'Success'), url: URL },
    });
  });

  it('80100000 naming the token among illegal_tokens is a dead token (410); naming another one is delivered', () => {
    const msg = JSON.stringify({ success: 0, failure: 1, illegal_tokens: ['tok'] });
    expect(mapHuaweiResponse({ status: 200, body: answer('80100000', msg) }, 'tok', URL)).toMatchObject({
      kind: 'dead-token',
      response: { code: 410 },
    });
    expect(mapHuaweiResponse({ status: 200, body: answer('80100000', msg) }, 'other', URL)).toMatchObject({
      kind: 'delivered',
      response: { code: 200 },
    });
  });

  it('80300007 (all tokens invalid) is a dead token (410)', () => {
    expect(mapHuaweiResponse({ status: 400, body: answer('80300007', 'Invalid Token') }, 'tok', URL)).toMatchObject({
      kind: 'dead-token',
      response: { code: 410, reason: '80300007 Invalid Token' },
    });
  });

  it('80300008 (message too large) is rejected, never retried', () => {
    expect(mapHuaweiResponse({ status: 400, body: answer('80300008', 'too large') }, 'tok', URL)).toMatchObject({
      kind: 'rejected',
      response: { code: 400 },
    });
  });

  it('80200001 / 80200003 are token refusals (resend with a new token); if they persist, rejected 401', () => {
    for (const code of ['80200001', '80200003']) {
      const reply = { status: 401, body: answer(code, 'Oauth') };
      expect(isAuthRefusal(reply)).toBe(true);
      expect(mapHuaweiResponse(reply, 'tok', URL)).toMatchObject({ kind: 'rejected', response: { code: 401 } });
    }
    expect(isAuthRefusal({ status: 400, body: answer('80300007', 'Invalid Token') })).toBe(false);
  });

  it('81000001 (internal error) and 80600003 (OAuth service failed) are retryable 500s', () => {
    expect(
      mapHuaweiResponse({ status: 500, body: answer('81000001', 'System inner error') }, 'tok', URL),
    ).toMatchObject({ kind: 'retryable', response: { code: 500 } });
    expect(
      mapHuaweiResponse({ status: 200, body: answer('80600003', 'Request OAuth service failed') }, 'tok', URL),
    ).toMatchObject({ kind: 'retryable', response: { code: 500 } });
  });

  it('HTTP 503 (traffic control) and 429 without a result code are retryable, with Retry-After', () => {
    expect(mapHuaweiResponse({ status: 503, body: 'Service Unavailable', retryAfterMs: 3000 }, 'tok', URL)).toEqual({
      kind: 'retryable',
      retryAfterMs: 3000,
      response: { code: 503, reason: 'Service Unavailable', body: 'Service Unavailable', url: URL },
    });
    expect(mapHuaweiResponse({ status: 429, body: '' }, 'tok', URL)).toMatchObject({
      kind: 'retryable',
      response: { code: 429, reason: 'HTTP 429' },
    });
  });

  it('80300010 (token count) and other parameter errors are rejected with their HTTP status', () => {
    expect(
      mapHuaweiResponse({ status: 400, body: answer('80300010', 'Tokens exceed the default value') }, 'tok', URL),
    ).toMatchObject({ kind: 'rejected', response: { code: 400 } });
    expect(
      mapHuaweiResponse({ status: 403, body: answer('80300002', 'APP is forbidden to send') }, 'tok', URL),
    ).toMatchObject({ kind: 'rejected', response: { code: 403 } });
  });
});

describe('huaweiReasonLabel', () => {
  it('is the result code, no-answer for an empty body, other for anything else', () => {
    expect(huaweiReasonLabel(answer('80300007', 'x'))).toBe('80300007');
    expect(huaweiReasonLabel({})).toBe('no-answer');
    expect(huaweiReasonLabel('<html>')).toBe('other');
    expect(huaweiReasonLabel({ code: 'bogus label' })).toBe('other');
  });
});
