// The storage side of the account rule (core's splitAccount): a malformed account is a typed error the HTTP layer
// answers with 400, never a 500 from the database.
import { splitAccount as split, type AccountParts } from '@pushwire/core';

export type { AccountParts };

/** The account cannot be split into user and domain: a client error (the HTTP layer answers 400). */
export class InvalidAccountError extends Error {
  constructor(readonly account: string) {
    super(`account '${account}' is not of the form user@domain`);
    this.name = 'InvalidAccountError';
  }
}

/** As Sylk's `account.split('@', 1)`, but a missing '@' or an empty side is a typed error, not a 500. */
export function splitAccount(account: string): AccountParts {
  const parts = split(account);
  if (parts === null) throw new InvalidAccountError(account);
  return parts;
}
