// The v2 account rule, in one place: `user@domain`, split at the first '@', as Sylk's Cassandra store keys it
// by (username, domain). Sylk answered a malformed account with a 500; Pushwire refuses it as a client error.
import { hasControlCharacters } from './validation/control-characters.js';

/** Longest account accepted (user@domain; SIP URIs are far shorter in practice). */
export const MAX_ACCOUNT_LENGTH = 512;

export interface AccountParts {
  username: string;
  domain: string;
}

/** The two sides of `user@domain` (split at the first '@'), or null when the '@' or either side is missing. */
export function splitAccount(account: string): AccountParts | null {
  const at = account.indexOf('@');
  if (at <= 0 || at === account.length - 1) return null;
  return { username: account.slice(0, at), domain: account.slice(at + 1) };
}

/** Why a caller's account is refused, or null when it is one. Control characters are refused: it names keys and log lines. */
export function accountProblem(account: string): 'not user@domain' | 'control characters' | null {
  if (splitAccount(account) === null || account.length > MAX_ACCOUNT_LENGTH || /[\s/]/.test(account))
    return 'not user@domain';
  if (hasControlCharacters(account)) return 'control characters';
  return null;
}
