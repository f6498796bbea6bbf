// The error a v1 request fails validation with, answered in Sylk's envelope with `"data": ""`.
import { HttpError } from '../http-error.js';

/**
 * An `HttpError` whose body is Sylk's `{"code","description","data":""}`. Keeps the pieces apart because
 * Sylk's v2 push path reports the same failure differently (bare `reason`, always 400).
 */
export class PushValidationError extends HttpError {
  constructor(
    /** The bare message (pydantic's, or Sylk's root-validator text). */
    readonly reason: string,
    /** The JSON key of a field-level error; `null` for request-level (root-validator) errors. */
    readonly field: string | null = null,
  ) {
    const description = field === null ? reason : `${reason}: ${field}`;
    const status = validationStatus(reason);
    super(status, { code: status, description, data: '' }, description);
    this.name = 'PushValidationError';
  }
}

/** Sylk's validation_exception_handler: 404 when the message mentions `found` or `configured`, else 400. */
export function validationStatus(message: string): 400 | 404 {
  return message.includes('found') || message.includes('configured') ? 404 : 400;
}
