// Sylk's exact non-envelope bodies (FastAPI/Starlette defaults it answers with; docs/decisions/0002-sylk-compatibility-contract.md).
import { HttpError } from '@pushwire/core';

export const notFound = (): HttpError => new HttpError(404, { detail: 'Not Found' });
export const methodNotAllowed = (): HttpError => new HttpError(405, { detail: 'Method Not Allowed' });
export const bodyParseError = (): HttpError => new HttpError(400, { detail: 'There was an error parsing the body' });
export const accessDenied = (): HttpError => HttpError.envelope(403, 'access denied by access list');
export const queueUnavailable = (): HttpError =>
  HttpError.envelope(503, 'push queue unavailable, request not accepted: retry later');
export const bodyTooLarge = (maxBytes: number): HttpError =>
  HttpError.envelope(413, `request body larger than ${maxBytes} bytes`, { max_bytes: maxBytes });
