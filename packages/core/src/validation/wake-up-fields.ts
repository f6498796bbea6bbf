// The fields of Sylk's WakeUpRequest in declaration order: the order pydantic reports field errors in.

/** pydantic v1 field kinds: required or optional `str`, and the two fields with a non-null default. */
export type WakeUpFieldKind = 'required-str' | 'optional-str' | 'bool-default-true' | 'int-default-1';

export interface WakeUpField {
  /** The JSON key (Sylk's alias). */
  key: string;
  kind: WakeUpFieldKind;
}

export const WAKE_UP_FIELDS = [
  { key: 'app-id', kind: 'required-str' },
  { key: 'platform', kind: 'required-str' },
  { key: 'event', kind: 'optional-str' },
  { key: 'token', kind: 'required-str' },
  { key: 'device-id', kind: 'optional-str' },
  { key: 'call-id', kind: 'required-str' },
  { key: 'from', kind: 'required-str' },
  { key: 'from-display-name', kind: 'optional-str' },
  { key: 'to', kind: 'required-str' },
  { key: 'media-type', kind: 'optional-str' },
  { key: 'silent', kind: 'bool-default-true' },
  { key: 'reason', kind: 'optional-str' },
  { key: 'badge', kind: 'int-default-1' },
  { key: 'filename', kind: 'optional-str' },
  { key: 'filetype', kind: 'optional-str' },
  { key: 'account', kind: 'optional-str' },
  { key: 'content', kind: 'optional-str' },
  { key: 'content-type', kind: 'optional-str' },
] as const satisfies readonly WakeUpField[];

export type WakeUpKey = (typeof WAKE_UP_FIELDS)[number]['key'];
