// v2 accounts are `user@domain`; the Cassandra schema keys them by (username, domain), split at the first '@'.

/** The account cannot be split into user and domain: a client error (the HTTP layer answers 400). */
export class InvalidAccountError extends Error {
  constructor(readonly account: string) {
    super(`account '${account}' is not of the form user@domain`);
    this.name = 'InvalidAccountError';
  }
}

export interface AccountParts {
  username: string;
  domain: string;
}

/** As Sylk's `account.split('@', 1)`, but a missing '@' or an empty side is a typed error, not a 500. */
export function splitAccount(account: string): AccountParts {
  const at = account.indexOf('@');
  if (at <= 0 || at === account.length - 1) throw new InvalidAccountError(account);
  return { username: account.slice(0, at), domain: account.slice(at + 1) };
}
