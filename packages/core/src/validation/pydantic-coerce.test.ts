// pydantic v1 coercions, checked value by value against what pydantic 1.10 answers for the same JSON.
import { describe, expect, it } from 'vitest';
import { BOOL_ERROR, coerceBool, coerceInt, coerceStr, INT_ERROR, STR_ERROR } from './pydantic-coerce.js';

describe('coerceStr', () => {
  it.each([
    ['abc', 'abc'],
    ['', ''],
    [5, '5'],
    [-12, '-12'],
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-1.5e-10, '-1.5e-10'],
    [true, 'True'],
    [false, 'False'],
  ])('%j → %j', (input, expected) => {
    expect(coerceStr(input)).toEqual({ ok: true, value: expected });
  });
  it('prints integral numbers as Python ints: JSON.parse cannot tell `1e22` or `1.0` from an int literal', () => {
    // Python prints the float literals as "1e+22" and "1.0".
    expect(coerceStr(1e22)).toEqual({ ok: true, value: '10000000000000000000000' });
    expect(coerceStr(1.0)).toEqual({ ok: true, value: '1' });
  });
  it.each([[[]], [['a']], [{}], [{ a: 1 }]])('%j is refused', (input) => {
    expect(coerceStr(input)).toEqual({ ok: false, message: STR_ERROR });
  });
});

describe('coerceBool', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['False', false],
    ['yes', true],
    ['No', false],
    ['ON', true],
    ['off', false],
    ['t', true],
    ['F', false],
    ['Y', true],
    ['n', false],
  ])('%j → %j', (input, expected) => {
    expect(coerceBool(input)).toEqual({ ok: true, value: expected });
  });
  it.each([[2], [-1], [0.5], [''], [' 1'], ['true '], ['2'], ['si'], [[]], [{}]])('%j is refused', (input) => {
    expect(coerceBool(input)).toEqual({ ok: false, message: BOOL_ERROR });
  });
});

describe('coerceInt', () => {
  it.each([
    [5, 5],
    [5.7, 5],
    [-5.7, -5],
    [-0.5, 0],
    [true, 1],
    [false, 0],
    ['5', 5],
    [' +7 ', 7],
    ['-3', -3],
    ['0012', 12],
    ['1_000_000', 1000000],
    ['\t-12\n', -12],
    ['\u00a012\u3000', 12],
    ['\u00851', 1],
    ['\u0663', 3],
    ['\uff11\uff12', 12],
  ])('%j → %j', (input, expected) => {
    expect(coerceInt(input)).toEqual({ ok: true, value: expected });
  });
  it.each([
    ['5.5'],
    ['1e3'],
    [''],
    ['-'],
    ['+-1'],
    ['1 2'],
    ['_1'],
    ['1_'],
    ['1__0'],
    ['0x10'],
    ['\u200b1'],
    ['\u001c1'],
    ['1'.repeat(4301)],
    [[]],
    [{}],
  ])('%j is refused', (input) => {
    expect(coerceInt(input)).toEqual({ ok: false, message: INT_ERROR });
  });
  it('refuses an integer string beyond a double, which Python would accept', () => {
    expect(coerceInt('9'.repeat(400))).toEqual({ ok: false, message: INT_ERROR });
  });
});
