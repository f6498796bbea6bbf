// An app's delivery policy: Pushwire's applications.ini extensions `call_deadline` and `expiration_from_deadline`.
import type { AppDeliveryPolicy } from './types.js';

/** docs/decisions/0007-delivery-deadlines-and-retries.md: a call wake-up (and its cancel) is worth delivering for 60 s after it was accepted. */
export const DEFAULT_CALL_DEADLINE_MS = 60_000;

export const DEFAULT_APP_DELIVERY: Readonly<AppDeliveryPolicy> = Object.freeze({
  callDeadlineMs: DEFAULT_CALL_DEADLINE_MS,
  expirationFromDeadline: false,
});

/** The longest `call_deadline` accepted (1 day): anything longer is a typo for another unit, not a call. */
const MAX_CALL_DEADLINE_S = 86_400;

/** configparser's `getboolean` words, which Sylk's own boolean settings use. */
const TRUE_WORDS = new Set(['1', 'yes', 'true', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'false', 'off']);

/**
 * Reads `call_deadline` (seconds, decimals allowed, > 0) and `expiration_from_deadline` (a configparser
 * boolean). A bad value is warned about and the default used, as for the log settings: these keys tune
 * delivery, and an app that would serve without them must not go dark over a typo in one.
 */
export function parseDeliveryPolicy(
  values: ReadonlyMap<string, string>,
  warn: (message: string) => void,
): AppDeliveryPolicy {
  let callDeadlineMs = DEFAULT_CALL_DEADLINE_MS;
  const deadlineText = values.get('call_deadline')?.trim() ?? '';
  if (deadlineText !== '') {
    const seconds = /^\d+(?:\.\d*)?$|^\.\d+$/.test(deadlineText) ? Number(deadlineText) : Number.NaN;
    if (seconds > 0 && seconds <= MAX_CALL_DEADLINE_S) callDeadlineMs = Math.round(seconds * 1000);
    else {
      warn(
        `call_deadline must be a number of seconds above 0 and at most ${MAX_CALL_DEADLINE_S}, got "${deadlineText}": ` +
          `using ${DEFAULT_CALL_DEADLINE_MS / 1000} s`,
      );
    }
  }

  let expirationFromDeadline = false;
  const expirationText = values.get('expiration_from_deadline')?.trim().toLowerCase() ?? '';
  if (TRUE_WORDS.has(expirationText)) expirationFromDeadline = true;
  else if (expirationText !== '' && !FALSE_WORDS.has(expirationText)) {
    warn(
      `expiration_from_deadline must be true or false, got "${expirationText}": using false (Sylk's fixed expiration)`,
    );
  }
  return { callDeadlineMs, expirationFromDeadline };
}
