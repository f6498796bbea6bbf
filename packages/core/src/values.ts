// Small readers of unknown values, shared so that every package narrows them the same way.

/** A plain object (not null, not an array): what a parsed JSON body must be before its fields are read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of whatever was thrown (a thrown string or object is stringified). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
