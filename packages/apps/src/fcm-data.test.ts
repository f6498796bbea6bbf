// FCM v1 data stringification (docs/decisions/0003-deliberate-differences.md).
import { describe, expect, it } from 'vitest';
import { toFcmData } from './fcm-data.js';

describe('toFcmData', () => {
  it('keeps strings unchanged, including empty ones', () => {
    expect(toFcmData({ event: 'cancel', 'loc-key': '' })).toEqual({ event: 'cancel', 'loc-key': '' });
  });
  it('drops null and undefined entries', () => {
    expect(toFcmData({ event: 'cancel', reason: null, account: undefined })).toEqual({ event: 'cancel' });
  });
  it('JSON-encodes objects, keeping their nested nulls', () => {
    expect(toFcmData({ metadata: { filename: 'a.jpg', filetype: null } })).toEqual({
      metadata: '{"filename":"a.jpg","filetype":null}',
    });
  });
  it('JSON-encodes arrays, numbers and booleans', () => {
    expect(toFcmData({ list: ['a', 1], n: 5, f: 1.5, yes: true, no: false })).toEqual({
      list: '["a",1]',
      n: '5',
      f: '1.5',
      yes: 'true',
      no: 'false',
    });
  });
  it('escapes strings inside encoded values as JSON does', () => {
    expect(toFcmData({ metadata: { filename: 'say "hi".txt' } })).toEqual({
      metadata: '{"filename":"say \\"hi\\".txt"}',
    });
  });
  it('returns only string values', () => {
    const out = toFcmData({ a: 1, b: { c: [true] }, d: 'x', e: null });
    expect(Object.values(out).every((v) => typeof v === 'string')).toBe(true);
    expect(Object.keys(out)).toEqual(['a', 'b', 'd']);
  });
});
