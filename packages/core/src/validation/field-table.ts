// A pydantic-v1-style field table: each field validated in declaration order, the first error wins.
import { z } from 'zod';
import { coerceBool, coerceInt, coerceStr, MISSING_ERROR, NONE_ERROR, type Coerced } from './pydantic-coerce.js';
import { rawField, type JsonObject } from './root-checks.js';
import { PushValidationError } from './validation-error.js';

export type FieldKind = 'required-str' | 'optional-str' | 'bool-default-true' | 'int-default-1';

export interface TableField {
  /** The JSON key (Sylk's alias). */
  key: string;
  kind: FieldKind;
}

/**
 * The field table of a request schema, in its declaration order (the order pydantic reports errors in): the zod
 * schema is the one declaration of a request's fields; this reads each field's pydantic v1 kind off its type.
 */
export function fieldTableOf<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
): Array<{ key: keyof Shape & string; kind: FieldKind }> {
  return Object.entries(schema.shape).map(([key, type]) => ({ key, kind: kindOf(key, type as z.ZodType) }));
}

function kindOf(key: string, type: z.ZodType): FieldKind {
  if (type instanceof z.ZodOptional) return 'optional-str';
  if (!(type instanceof z.ZodDefault)) return 'required-str';
  const { innerType, defaultValue } = type.def;
  if (innerType instanceof z.ZodBoolean && defaultValue === true) return 'bool-default-true';
  if (innerType instanceof z.ZodNumber && defaultValue === 1) return 'int-default-1';
  throw new Error(`field ${key}: no pydantic kind for a default of ${String(defaultValue)}`);
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
