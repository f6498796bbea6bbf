// pydantic v1's lenient str/bool/int validators (pydantic/validators.py 1.10), with their exact messages.
import { pyNumberStr } from './python-format.js';

export type Coerced<T> = { ok: true; value: T } | { ok: false; message: string };

export const STR_ERROR = 'str type expected';
export const BOOL_ERROR = 'value could not be parsed to a boolean';
export const INT_ERROR = 'value is not a valid integer';
export const NONE_ERROR = 'none is not an allowed value';
export const MISSING_ERROR = 'field required';

/** `str_validator`: str as is, int/float stringified (bool is an int in Python: `True` → "True"). */
export function coerceStr(value: unknown): Coerced<string> {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number') return { ok: true, value: pyNumberStr(value) };
  if (typeof value === 'boolean') return { ok: true, value: value ? 'True' : 'False' };
  return { ok: false, message: STR_ERROR };
}

const BOOL_TRUE: ReadonlySet<string> = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const BOOL_FALSE: ReadonlySet<string> = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** `bool_validator`: bools, the numbers 0/1, and a fixed set of words compared after `lower()` (not stripped). */
export function coerceBool(value: unknown): Coerced<boolean> {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1) return { ok: true, value: true };
  if (value === 0) return { ok: true, value: false };
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    if (BOOL_TRUE.has(word)) return { ok: true, value: true };
    if (BOOL_FALSE.has(word)) return { ok: true, value: false };
  }
  return { ok: false, message: BOOL_ERROR };
}

// pydantic refuses longer strings before calling int() (CPython's int_max_str_digits).
const MAX_STR_INT = 4300;

/** `int_validator`: ints; `int(v)` for the rest, so floats truncate, `True` is 1 and strings parse as Python's `int()`. */
export function coerceInt(value: unknown): Coerced<number> {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') return { ok: true, value: Math.trunc(value) + 0 };
  if (typeof value === 'string' && value.length <= MAX_STR_INT) {
    const parsed = parsePythonInt(value);
    if (parsed !== null) return { ok: true, value: parsed };
  }
  return { ok: false, message: INT_ERROR };
}

// What CPython's int(str) skips around the digits: ASCII whitespace, and non-ASCII characters with
// str.isspace() (U+001C..U+001F are isspace() but ASCII, so CPython keeps them and fails).
const PY_INT_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;
const PY_INT_SYNTAX = /^[ \t\n\v\f\r]*([+-]?)([0-9]+(?:_[0-9]+)*)[ \t\n\v\f\r]*$/;
const UNICODE_DIGIT = /\p{Nd}/u;

/** Base-10 `int(str)`: sign, single underscores between digits, any Unicode decimal digit. Null if invalid. */
function parsePythonInt(text: string): number | null {
  const ascii = toAsciiDigits(text.replace(PY_INT_SPACE, ' '));
  const match = PY_INT_SYNTAX.exec(ascii);
  if (match === null) return null;
  const n = Number(`${match[1] ?? ''}${(match[2] ?? '').replaceAll('_', '')}`);
  // A badge too large for a double has no meaning downstream; refuse it rather than carry Infinity.
  return Number.isFinite(n) ? n + 0 : null;
}

function toAsciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp > 0x7f && UNICODE_DIGIT.test(ch) ? String(unicodeDigitValue(cp)) : ch;
  }
  return out;
}

/** Unicode encodes every decimal digit set as a contiguous 0..9 run, so the value is the offset in its run. */
function unicodeDigitValue(cp: number): number {
  let start = cp;
  while (UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (cp - start) % 10;
}
