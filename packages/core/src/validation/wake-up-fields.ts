// The fields of Sylk's WakeUpRequest in declaration order (the order pydantic reports field errors in), read off
// the one declaration of the v1 body, WakeUpRequestSchema.
import { fieldTableOf, type FieldKind } from './field-table.js';
import { WakeUpRequestSchema } from './wake-up-schema.js';

/** pydantic v1 field kinds: required or optional `str`, and the two fields with a non-null default. */
export type WakeUpFieldKind = FieldKind;

export type WakeUpKey = keyof typeof WakeUpRequestSchema.shape & string;

export interface WakeUpField {
  /** The JSON key (Sylk's alias). */
  key: WakeUpKey;
  kind: WakeUpFieldKind;
}

export const WAKE_UP_FIELDS: readonly WakeUpField[] = fieldTableOf(WakeUpRequestSchema);
