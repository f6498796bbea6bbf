// Python's str()/repr() and truthiness of JSON values, as they appear in Sylk's messages.
import { describe, expect, it } from 'vitest';
import { pyRepr, pyStr, pyTruthy } from './python-format.js';

describe('pyTruthy', () => {
  it.each([[null], [undefined], [false], [0], [-0], [''], [[]], [{}]])('%j is falsy', (v) =>
    expect(pyTruthy(v)).toBe(false),
  );
  it.each([[true], [1], [-1], [0.5], ['0'], [' '], [[0]], [{ a: null }]])('%j is truthy', (v) =>
    expect(pyTruthy(v)).toBe(true),
  );
});

describe('pyStr / pyRepr', () => {
  it.each([
    ['abc', 'abc'],
    [5, '5'],
    [1.5, '1.5'],
    [1e-7, '1e-07'],
    [true, 'True'],
    [null, 'None'],
    [[1, 'a', null, false], "[1, 'a', None, False]"],
    [{ k: [null, 'x'] }, "{'k': [None, 'x']}"],
  ])('str(%j) = %s', (input, expected) => {
    expect(pyStr(input)).toBe(expected);
  });

  it('quotes and escapes strings as Python repr does', () => {
    expect(pyRepr("a'b")).toBe(`"a'b"`);
    expect(pyRepr('a"b')).toBe(`'a"b'`);
    expect(pyRepr(`a'"b`)).toBe(`'a\\'"b'`);
    expect(pyRepr('é\n\t\\\u0001\u2028\u00a0 \u0085\u{1f600}\ue000')).toBe(
      "'é\\n\\t\\\\\\x01\\u2028\\xa0 \\x85\u{1f600}\\ue000'",
    );
  });
});
