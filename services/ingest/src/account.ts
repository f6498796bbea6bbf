// The v2 account path parameter, checked by the one account rule (core's accountProblem) and refused in Sylk's envelope.
import { accountProblem, HttpError } from '@pushwire/core';

export function parseAccount(raw: string): string {
  switch (accountProblem(raw)) {
    case 'not user@domain':
      throw new HttpError(400, { code: 400, description: "account must be 'user@domain'", data: '' });
    case 'control characters':
      throw new HttpError(400, { code: 400, description: 'control characters are not allowed: account', data: '' });
    default:
      return raw;
  }
}
