// v2 account path parameter: `user@domain`, as Sylk's Cassandra store splits it (a missing '@' was a 500).
import { hasControlCharacters, HttpError } from '@pushwire/core';

/** Longest account accepted (user@domain; SIP URIs are far shorter in practice). */
const MAX_ACCOUNT_LENGTH = 512;

export function parseAccount(raw: string): string {
  const at = raw.indexOf('@');
  if (at <= 0 || at === raw.length - 1 || raw.length > MAX_ACCOUNT_LENGTH || /[\s/]/.test(raw)) {
    throw new HttpError(400, { code: 400, description: "account must be 'user@domain'", data: '' });
  }
  // It names Redis keys and log lines.
  if (hasControlCharacters(raw)) throw new HttpError(400, { code: 400, description: 'control characters are not allowed: account', data: '' });
  return raw;
}
