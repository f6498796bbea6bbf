// A pydantic-v1-style field table: each field validated in declaration order, the first error wins.
import { coerceBool, coerceInt, coerceStr, MISSING_ERROR, NONE_ERROR, type Coerced } from './pydantic-coerce.js';
import { rawField, type JsonObject } from './root-checks.js';
import { PushValidationError } from './validation-error.js';

export type FieldKind = 'required-str' | 'optional-str' | 'bool-default-true' | 'int-default-1';

export interface TableField {
  /** The JSON key (Sylk's alias). */
  key: string;
  kind: FieldKind;
}

export type FieldValues = Map<string, string | boolean | number | null>;

export function validateFieldTable(body: JsonObject, fields: readonly TableField[]): FieldValues {
  const values: FieldValues = new Map();
  for (const field of fields) {
    const result = coerceField(field.kind, rawField(body, field.key));
    if (!result.ok) throw new PushValidationError(result.message, field.key);
    values.set(field.key, result.value);
  }
  return values;
}

/** pydantic v1 on one field: a missing key takes the default, null only where the default is null. */
export function coerceField(kind: FieldKind, input: unknown): Coerced<string | boolean | number | null> {
  if (input === undefined) {
    if (kind === 'required-str') return { ok: false, message: MISSING_ERROR };
    return { ok: true, value: kind === 'bool-default-true' ? true : kind === 'int-default-1' ? 1 : null };
  }
  if (input === null) return kind === 'optional-str' ? { ok: true, value: null } : { ok: false, message: NONE_ERROR };
  if (kind === 'bool-default-true') return coerceBool(input);
  if (kind === 'int-default-1') return coerceInt(input);
  return coerceStr(input);
}

export function assertJsonObject(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PushValidationError('request body must be a JSON object');
  }
  return body as JsonObject;
}

export const str = (values: FieldValues, key: string): string | null => {
  const v = values.get(key);
  return typeof v === 'string' ? v : null;
};
