// Text from Redis (call-ids, accounts, device ids, push services' reasons: all chosen by callers or remote
// services) made inert before it reaches a terminal: no escape sequence, no line break, no reordering.

/** Controls (C0, DEL, C1), bidirectional overrides and isolates, line and paragraph separators. */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;
/** The unsafe ones JSON.stringify leaves raw inside strings (it escapes C0; its own line breaks are layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

const asCodeUnit = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every unsafe character written as `\uXXXX` (a backslash doubled first, so it stays unambiguous). */
export function printable(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, asCodeUnit);
}

/** JSON text with the unsafe characters JSON.stringify leaves raw (DEL, C1, bidi, separators) as `\uXXXX`: still the same JSON. */
export function printableJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, asCodeUnit);
}
