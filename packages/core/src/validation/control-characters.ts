// Identifiers a caller sends (call-id, device id, account) become Redis keys, log fields and terminal text:
// control characters in them are refused, never stored.
import { PushValidationError } from './validation-error.js';

/** C0 controls, DEL and C1 controls (Unicode category Cc). */
const CONTROL = /\p{Cc}/u;

export const CONTROL_CHARACTERS_MESSAGE = 'control characters are not allowed';

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** 400 `control characters are not allowed: <field>` when `value` holds one; null passes. */
export function assertNoControlCharacters(field: string, value: string | null): void {
  if (value !== null && CONTROL.test(value)) throw new PushValidationError(CONTROL_CHARACTERS_MESSAGE, field);
}
